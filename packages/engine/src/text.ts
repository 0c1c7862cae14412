// Tokenizer: one pass over the text, no regular expressions over user input, so time stays linear.
// Tokens keep UTF-16 offsets into the original text; `norm` is the lower-cased, texting-normalized form
// that rules are written against ("u" -> "you", "dont" -> "don't", curly apostrophes straightened).

import { normalize } from './normalize.js';

export type TokenKind = 'word' | 'punct' | 'emoji';

export interface Token {
  norm: string;
  start: number;
  end: number;
  kind: TokenKind;
  /** Index of the sentence this token belongs to. */
  sent: number;
  /** True for . ! ? ; and line breaks: the tokens a within-sentence gap may not cross. */
  stop: boolean;
  /** True when the word was written in capitals (2+ letters): a heat signal. */
  caps: boolean;
}

// Texting forms people actually type, mapped to what the rules are written in.
const TEXTING: Record<string, string> = {
  u: 'you',
  ya: 'you',
  yu: 'you',
  ur: 'your',
  youre: "you're",
  yr: 'your',
  r: 'are',
  im: "i'm",
  ive: "i've",
  dont: "don't",
  doesnt: "doesn't",
  didnt: "didn't",
  cant: "can't",
  wont: "won't",
  isnt: "isn't",
  arent: "aren't",
  wasnt: "wasn't",
  werent: "weren't",
  havent: "haven't",
  hasnt: "hasn't",
  couldnt: "couldn't",
  wouldnt: "wouldn't",
  shouldnt: "shouldn't",
  thats: "that's",
  whats: "what's",
  theres: "there's",
  hes: "he's",
  shes: "she's",
  its: "it's",
  lets: "let's",
  wouldve: "would've",
  cannot: "can't",
  bc: 'because',
  cuz: 'because',
  coz: 'because',
  cos: 'because',
  b4: 'before',
  tho: 'though',
  thru: 'through',
  pls: 'please',
  plz: 'please',
  rn: 'now',
  ok: 'okay',
  k: 'okay',
  kk: 'okay',
  idc: "i don't care",
  idgaf: "i don't care",
  nvm: 'nevermind',
  w: 'with',
  abt: 'about',
  srsly: 'seriously',
  ppl: 'people',
  sry: 'sorry',
  soz: 'sorry',
  gonna: 'going to',
  wanna: 'want to',
  gotta: 'got to',
  kinda: 'kind of',
  sorta: 'sort of',
  dunno: "don't know",
  luv: 'love',
  tbh: 'to be honest',
  ngl: 'not going to lie',
  omg: 'oh my god',
  smh: 'shaking my head',
  ugh: 'ugh',
  lol: 'lol',
  lmao: 'lol',
  wtf: 'what the fuck',
  kms: 'kill myself',
  kys: 'kill yourself',
  stfu: 'shut up',
  y: 'why',
  n: 'and',
  nite: 'night',
  gf: 'girlfriend',
  bf: 'boyfriend',
};

// Two written words that mean one contracted word: merged so one rule covers both spellings.
export const MERGE: Record<string, string> = {
  'do not': "don't",
  'does not': "doesn't",
  'did not': "didn't",
  'can not': "can't",
  'will not': "won't",
  'is not': "isn't",
  'are not': "aren't",
  'was not': "wasn't",
  'were not': "weren't",
  'have not': "haven't",
  'has not': "hasn't",
  'could not': "couldn't",
  'would not': "wouldn't",
  'should not': "shouldn't",
  'you are': "you're",
  'i am': "i'm",
  'that is': "that's",
  'it is': "it's",
  'i have': "i've",
  'i will': "i'll",
  'you will': "you'll",
  'i would': "i'd",
  'what is': "what's",
  'let us': "let's",
  'there is': "there's",
  'they are': "they're",
  'we are': "we're",
};

function isLetter(c: number): boolean {
  return (
    (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 0xc0 && c <= 0x24f && c !== 0xd7 && c !== 0xf7)
  );
}
function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}
function isApostrophe(c: number): boolean {
  return c === 39 || c === 0x2019 || c === 0x2018 || c === 0x02bc;
}
function isSpace(c: number): boolean {
  return (
    c === 32 ||
    c === 9 ||
    c === 13 ||
    c === 0xa0 ||
    c === 0x200b ||
    c === 0xfeff ||
    (c >= 0x2000 && c <= 0x200a)
  );
}
function isHighSurrogate(c: number): boolean {
  return c >= 0xd800 && c <= 0xdbff;
}
function isLowSurrogate(c: number): boolean {
  return c >= 0xdc00 && c <= 0xdfff;
}
// Joiners and variation selectors belong to the emoji before them.
function isEmojiJoiner(c: number): boolean {
  return c === 0x200d || (c >= 0xfe00 && c <= 0xfe0f);
}

const STOP_PUNCT = new Set(['.', '!', '?', ';', '\n', '…']);

/** Collapse letters stretched for emphasis ("sooo", "neverrr") to a known word where one exists. */
function unstretch(w: string, vocab: () => ReadonlySet<string>): string {
  let out = '';
  let stretched = false;
  for (let i = 0; i < w.length; i++) {
    const ch = w[i]!;
    // keep at most two of a run
    if (i >= 2 && ch === w[i - 1] && ch === w[i - 2]) {
      stretched = true;
      continue;
    }
    out += ch;
  }
  if (!stretched) return out;
  const known = vocab();
  if (known.has(out)) return out;
  // try reducing each double to single, left to right, until a known word appears
  let single = '';
  for (let i = 0; i < out.length; i++) if (i === 0 || out[i] !== out[i - 1]) single += out[i];
  return known.has(single) ? single : out;
}

// Every word the rules use, so stretched spellings can find them. It comes from the knowledge module,
// which installs its provider when it is imported: tokenizing never depends on which lens ran first.
let vocabulary: () => ReadonlySet<string> = () => new Set();
export function setVocabulary(provider: () => ReadonlySet<string>): void {
  vocabulary = provider;
}

/**
 * Tokens of a text as rules and models read it: normalized first (NFKC, look-alike letters folded,
 * invisible characters dropped, normalize.ts), with offsets that point into the text as written.
 */
export function tokenize(text: string): Token[] {
  const n = normalize(text);
  const toks = tokenizeNormalized(n.text);
  if (n.starts && n.ends) {
    for (const t of toks) {
      t.start = n.starts[t.start]!;
      t.end = n.ends[t.end - 1]!;
    }
  }
  return toks;
}

function tokenizeNormalized(text: string): Token[] {
  const raw: Token[] = [];
  const n = text.length;
  let i = 0;
  let sent = 0;
  while (i < n) {
    const c = text.charCodeAt(i);
    if (isSpace(c)) {
      i++;
      continue;
    }
    if (isLetter(c) || isDigit(c)) {
      const start = i;
      let upper = 0;
      let letters = 0;
      while (i < n) {
        const d = text.charCodeAt(i);
        if (isLetter(d) || isDigit(d)) {
          if (d >= 65 && d <= 90) upper++;
          if (isLetter(d)) letters++;
          i++;
        } else if (isApostrophe(d) && i + 1 < n && isLetter(text.charCodeAt(i + 1)) && i > start) {
          i++; // an apostrophe inside a word: "don't", "you’re"
        } else break;
      }
      // a 100 KB "word" is bait, not language: its first 64 characters are enough to name it
      let w = '';
      for (let k = start; k < i && k < start + 64; k++) {
        const d = text.charCodeAt(k);
        w += isApostrophe(d) ? "'" : String.fromCharCode(d).toLowerCase();
      }
      w = unstretch(w, vocabulary);
      w = TEXTING[w] ?? w;
      raw.push({
        norm: w,
        start,
        end: i,
        kind: 'word',
        sent,
        stop: false,
        caps: letters >= 2 && upper === letters,
      });
      continue;
    }
    if (c === 10) {
      raw.push({ norm: '\n', start: i, end: i + 1, kind: 'punct', sent, stop: true, caps: false });
      sent++;
      i++;
      continue;
    }
    if (isHighSurrogate(c) || (c >= 0x2190 && c <= 0x2bff) || c === 0x2764) {
      // an emoji (or another astral symbol), with any joiners and modifiers that follow
      const start = i;
      i += isHighSurrogate(c) && i + 1 < n && isLowSurrogate(text.charCodeAt(i + 1)) ? 2 : 1;
      while (i < n) {
        const d = text.charCodeAt(i);
        if (isEmojiJoiner(d)) {
          i++;
          if (d === 0x200d && i < n) i += isHighSurrogate(text.charCodeAt(i)) && i + 1 < n ? 2 : 1;
        } else if (
          d === 0xd83c &&
          i + 1 < n &&
          text.charCodeAt(i + 1) >= 0xdffb &&
          text.charCodeAt(i + 1) <= 0xdfff
        ) {
          i += 2; // skin tone
        } else break;
      }
      raw.push({ norm: text.slice(start, i), start, end: i, kind: 'emoji', sent, stop: false, caps: false });
      continue;
    }
    if (isLowSurrogate(c)) {
      i++; // a lone surrogate: broken input, skip it rather than fail
      continue;
    }
    // punctuation: runs of the same mark ("!!!", "???", "...") become one token
    const start = i;
    const ch = text[i]!;
    i++;
    if (ch === '.' || ch === '!' || ch === '?') {
      while (i < n && (text[i] === '.' || text[i] === '!' || text[i] === '?')) i++;
    } else {
      while (i < n && text[i] === ch) i++;
    }
    let norm = ch === '\u201c' || ch === '\u201d' ? '"' : ch;
    const run = text.slice(start, Math.min(i, start + 8));
    if (run.includes('?')) norm = '?';
    else if (run.includes('!')) norm = '!';
    const stop = STOP_PUNCT.has(norm) || norm === '…';
    raw.push({ norm, start, end: i, kind: 'punct', sent, stop, caps: false });
    if (stop) sent++;
  }
  return mergePairs(raw);
}

function mergePairs(toks: Token[]): Token[] {
  const out: Token[] = [];
  for (let i = 0; i < toks.length; i++) {
    const a = toks[i]!;
    const b = toks[i + 1];
    if (b && a.kind === 'word' && b.kind === 'word') {
      const m = MERGE[`${a.norm} ${b.norm}`];
      if (m) {
        out.push({ ...a, norm: m, end: b.end, caps: a.caps && b.caps });
        i++;
        continue;
      }
    }
    // multi-word texting expansions ("idc" -> "i don't care") become several tokens over one span
    if (a.kind === 'word' && a.norm.includes(' ')) {
      for (const part of a.norm.split(' ')) out.push({ ...a, norm: part });
      continue;
    }
    out.push(a);
  }
  return out;
}

/** Fraction of capitalised words, ignoring "I" and short texts. */
export function capsRatio(toks: Token[]): number {
  let words = 0;
  let caps = 0;
  for (const t of toks) {
    if (t.kind !== 'word') continue;
    words++;
    if (t.caps) caps++;
  }
  return words >= 3 ? caps / words : 0;
}
