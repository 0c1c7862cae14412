// The concrete thing a complaint is about, as an event either side can say (data/event.json): "You forgot
// my birthday again" is "when you forgot my birthday" for the one who was hurt and "when I forgot your
// birthday" for the one who answers. One pass over the tokens; null when no "you did X" clause is found.

import { data } from './data.js';

const { event, classes } = data;
import type { Token } from './text.js';

export interface Event {
  /** "you forgot my birthday" as the speaker would say it, without "when". */
  speaker: string;
  /** "I forgot your birthday" as the listener would say it. */
  listener: string;
  /** past (did), habit (does, doesn't), state (is, isn't). */
  tense: 'past' | 'habit' | 'state';
  /** A perception more than a fact ("you don't care about me"): replies say "when it feels like …". */
  perceived: boolean;
  /** The event's own content words, for checking that a rewrite kept them ("birthday"). */
  content: string[];
  /** UTF-16 span of the clause in the message. */
  start: number;
  end: number;
}

const DROP = new Set(event.drop);
const JOIN = new Set(['and', 'or']);
const CLAUSE_START = new Set([
  'i',
  "i'm",
  'you',
  "you're",
  'he',
  'she',
  'we',
  'they',
  'it',
  "it's",
  'then',
  'now',
  'that',
  'this',
  'there',
  'my',
  'your',
]);
// a verdict on character is not an event: "you're lazy", "you called me lazy" are heard, not replayed
const LABELS = new Set([...classes.label_strong, ...classes.label_soft]);
const END = new Set(event.clauseEnd);
const FLIP = event.flipSpeakerToListener;
const PAST = event.past;
const AUX_PAST = new Set(['did', "didn't"]);
const WHY = new Set(['why', 'how', 'what']);
const REQUEST = new Set(['can', 'could', 'will', 'would', 'please', 'if', 'hope', 'wish', 'want', 'need']);
// verbs too general to name what happened ("you don't listen" says less than "you're on your phone")
const GENERIC = new Set([
  'listen',
  'care',
  'understand',
  'get',
  'help',
  'notice',
  'think',
  'know',
  'feel',
  'say',
  'said',
  'do',
  'did',
  'make',
  'made',
  'want',
  'try',
  'like',
  'love',
  'need',
  'only',
  'see',
  'hear',
  'look',
  'treat',
]);
// a state that is a place or an activity, not a verdict on character ("on your phone", "never home", "always working")
const STATE_START = new Set([
  'on',
  'at',
  'in',
  'out',
  'home',
  'late',
  'away',
  'gone',
  'busy',
  'here',
  'there',
  'with',
  'off',
  'up',
  'asleep',
  'online',
  'distracted',
  'glued',
  'stuck',
  'working',
  'playing',
  'gaming',
  'scrolling',
  'texting',
  'talking',
  'yelling',
  'shouting',
  'ignoring',
  'checking',
]);
const QUOTES = new Set(["'", '"', '\u2018', '\u2019', '\u201c', '\u201d']);
// words a clause may not end on when cut short
const TRAILING = new Set([
  'that',
  'i',
  'as',
  'to',
  'the',
  'a',
  'an',
  'of',
  'with',
  'my',
  'your',
  'for',
  'about',
]);
// a "you" followed by one of these is not doing something ("calling you about", "than you")
const NOT_VERB = new Set([
  'about',
  'for',
  'to',
  'with',
  'at',
  'in',
  'of',
  'from',
  'by',
  'into',
  'than',
  'too',
  'both',
  'all',
  'guys',
  'one',
  'two',
  'three',
  'a',
  'the',
  'this',
  'these',
  'those',
  'some',
  'any',
  'every',
  'so',
  'very',
  'more',
  'less',
]);
const GRANTED = new Set(['know', 'get', 'understand', 'realise', 'realize', 'appreciate', 'sure', 'course']);
const ASKING = new Set(['are', 'were', 'is', 'am', 'r']);
// the words before a "you" that start a clause rather than end a noun ("the target you set")
const CLAUSE_LEAD = new Set([
  ...END,
  'that',
  'since',
  'until',
  'after',
  'before',
  'as',
  'why',
  'how',
  'what',
  'where',
  'now',
  'today',
  'yesterday',
  'also',
  'just',
  'even',
  'again',
  'then',
  'think',
  'know',
  'guess',
  'feel',
  'swear',
  'said',
  'and',
]);
const _AUX_HABIT = new Set(['do', "don't", 'does', "doesn't"]);
const FUNCTION = new Set([
  'the',
  'a',
  'an',
  'to',
  'of',
  'in',
  'on',
  'at',
  'for',
  'with',
  'about',
  'me',
  'my',
  'you',
  'your',
  'i',
  'it',
  'that',
  'this',
  'and',
  'up',
  'out',
  'off',
  'over',
  'from',
  'by',
  'us',
  'our',
  'we',
  'them',
  'their',
  'him',
  'her',
  'his',
  'be',
  'is',
  'are',
  'was',
  'not',
  "don't",
  "didn't",
  'all',
  'any',
  'some',
  'what',
  'when',
  'why',
  'how',
]);

function pastOf(verb: string): string {
  if (PAST[verb]) return PAST[verb]!;
  if (verb.endsWith('e')) return `${verb}d`;
  if (/[^aeiou]y$/.test(verb)) return `${verb.slice(0, -1)}ied`;
  if (/^[^aeiou]*[aeiou][bdgmnprt]$/.test(verb) && verb.length <= 4)
    return `${verb}${verb[verb.length - 1]}ed`;
  return `${verb}ed`;
}

/**
 * The base form under an -ing or -ed ending: "joking" -> "joke", "stopping" -> "stop", "loved" -> "love"
 * (a stem cut bare reads as a typo: "you keep joking" was "you jok").
 */
export function baseOfStem(stem: string): string {
  if (/([bdgmnprt])\1$/.test(stem)) return stem.slice(0, -1); // stopping, planned
  if (/[vcu]$/.test(stem) || /[aeiou][sz]$/.test(stem)) return `${stem}e`; // leaving, dancing, arguing, using
  // changing, arranging, plunging, charging (not singing, bringing, hanging)
  if (/rg$/.test(stem) || (/[aeu]ng$/.test(stem) && stem.length >= 5)) return `${stem}e`;
  // one syllable ending in a vowel and a consonant: joking, hating, sharing (not calling, texting)
  if (/^[^aeiou]*[aeiou][^aeiouwxy]$/.test(stem)) return `${stem}e`;
  return stem;
}

function baseOfIng(w: string): string {
  return w.endsWith('ing') && w.length > 4 ? baseOfStem(w.slice(0, -3)) : w;
}

function isPastForm(w: string): boolean {
  return w.endsWith('ed') || Object.values(PAST).includes(w);
}

/** The most concrete "you …" clause of a message (first among equals), rendered for both sides. */
export function eventOf(toks: readonly Token[], text: string): Event | null {
  let best: Event | null = null;
  let bestScore = -1;
  // "I know you had a long day too, but…": what is granted first is not the complaint. Events come in
  // order, so one pointer over the granting words keeps this linear.
  const grants = toks.filter((t) => GRANTED.has(t.norm)).map((t) => t.end);
  let g = 0;
  for (const e of eventsOf(toks, text)) {
    while (g < grants.length && grants[g]! < e.start - 16) g++;
    const granted = g < grants.length && grants[g]! <= e.start;
    const score = e.content.filter((w) => !GENERIC.has(w)).length - (granted ? 2 : 0);
    if (score > bestScore) {
      best = e;
      bestScore = score;
    }
  }
  return best;
}

/** Every "you …" clause, in order. */
export function eventsOf(toks: readonly Token[], text: string): Event[] {
  const out: Event[] = [];
  for (let i = 0; i < toks.length; i++) {
    const t = toks[i]!;
    if (t.kind !== 'word') continue;
    // "why did you tell", "how could you say", "did you even read": the question's event
    let subj = -1;
    let aux: string | null = null;
    if (
      (t.norm === 'did' ||
        t.norm === "didn't" ||
        t.norm === 'do' ||
        t.norm === 'does' ||
        t.norm === 'could' ||
        t.norm === 'would') &&
      toks[i + 1]?.norm === 'you'
    ) {
      // "how could you say that" asks about something done: past; "could you pass the salt" is a request
      if ((t.norm === 'could' || t.norm === 'would') && !WHY.has(toks[i - 1]?.norm ?? '')) continue;
      aux = t.norm === 'could' || t.norm === 'would' ? 'did' : t.norm;
      subj = i + 1;
    } else if (
      t.norm === 'stop' &&
      toks[i + 1]?.norm.endsWith('ing') &&
      (i === 0 ||
        toks[i - 1]!.kind !== 'word' ||
        toks[i - 1]!.norm === 'please' ||
        toks[i - 1]!.norm === 'just')
    ) {
      // "Stop reading my diary": a habit asked to end
      const r = render(toks, text, i, 'stop');
      if (r && names(r)) out.push(r);
      continue;
    } else if (t.norm === 'you' || t.norm === "you're" || t.norm === "you've" || t.norm === "you'll") {
      // "can you leave me alone" asks for something; it is not an event
      const prev = toks[i - 1]?.norm ?? '';
      if (REQUEST.has(prev) && !WHY.has(toks[i - 2]?.norm ?? '')) continue;
      // "are you coming to the wedding?" asks; it tells of nothing done
      if (ASKING.has(prev)) continue;
      subj = i;
    } else continue;
    const r = render(toks, text, subj, aux);
    if (r && names(r)) {
      out.push(r);
      // one event per clause: go on after it
      while (i + 1 < toks.length && toks[i + 1]!.start < r.end) i++;
    }
  }
  return out;
}

/** "you always do this" names nothing, and a label replayed is still a label: neither is an event. */
function names(r: Event): boolean {
  return r.content.length > 0 && !r.content.some((w) => LABELS.has(w)) && !/^I (be|being)\b/.test(r.listener);
}

/**
 * A word as said back: a name keeps its capital ("Auntie Ruth", "March"), unless the message capitalises
 * most of its words ("You Forgot My Birthday"), and a word that flips between the two sides ("my", "your")
 * is always said in lower case so that it flips.
 */
function asWritten(t: Token, raw: string, titled: boolean): string {
  return !titled && t.norm !== 'i' && FLIP[t.norm] === undefined && /^[A-Z][a-z]/.test(raw) ? raw : t.norm;
}

// a message whose words mostly begin with a capital is written in title case: no capital there is a name
const titledCache = new WeakMap<readonly Token[], boolean>();
function isTitled(toks: readonly Token[], text: string): boolean {
  let t = titledCache.get(toks);
  if (t === undefined) {
    let words = 0;
    let caps = 0;
    for (const tok of toks) {
      if (tok.kind !== 'word') continue;
      words++;
      if (/^[A-Z]/.test(text.slice(tok.start, tok.start + 1))) caps++;
    }
    t = words >= 3 && caps * 2 > words;
    titledCache.set(toks, t);
  }
  return t;
}

function render(toks: readonly Token[], text: string, subj: number, aux: string | null): Event | null {
  const titled = isTitled(toks, text);
  const subject = aux === 'stop' ? 'you' : toks[subj]!.norm;
  const words: string[] = [];
  // the words as written where a name is capitalised; \`words\` stays normalised for matching
  const surface: string[] = [];
  let j = subj + 1;
  let negated = false;
  let habit = false;
  let tense: Event['tense'] = aux && AUX_PAST.has(aux) ? 'past' : 'habit';
  if (aux === "didn't") negated = true;
  if (subject === "you're") tense = 'state';
  for (; j < toks.length; j++) {
    const t = toks[j]!;
    // a quotation goes on the clause ("you introduced me as 'the other one' at your party")
    if (t.kind === 'punct' && QUOTES.has(t.norm) && words.length > 0) continue;
    if (t.kind !== 'word') break;
    // "i love u but i need…": a "you" that ends its clause names nothing
    if (END.has(t.norm) && words.length === 0 && !negated) return null;
    // "and"/"or" join nouns as often as clauses: "you told Mum and Dad" goes on, "you left and I cried" stops
    if (
      END.has(t.norm) &&
      words.length > 0 &&
      (!JOIN.has(t.norm) || CLAUSE_START.has(toks[j + 1]?.norm ?? ''))
    )
      break;
    if (t.norm === 'barely' || t.norm === 'hardly' || t.norm === 'rarely' || t.norm === 'seldom') {
      negated = true;
      habit = true;
      continue;
    }
    // a negation after the verb belongs to what was said or done ("you told the kids not to wait"), not
    // to the clause
    if (
      words.length === 0 &&
      (t.norm === 'never' ||
        t.norm === 'not' ||
        t.norm === "don't" ||
        t.norm === "doesn't" ||
        t.norm === "didn't" ||
        t.norm === "can't" ||
        t.norm === "won't")
    ) {
      negated = true;
      if (t.norm === "didn't") tense = 'past';
      if (t.norm === 'never' || t.norm === "don't") habit = true;
      continue;
    }
    if (t.norm === 'always' || t.norm === 'constantly' || t.norm === 'keep') habit = true;
    if (DROP.has(t.norm)) continue;
    words.push(t.norm);
    // a name keeps its capital ("Auntie Ruth", "March"); the rest is said in lower case
    const raw = text.slice(t.start, t.end);
    surface.push(asWritten(t, raw, titled));
    if (words.length >= 14) {
      j++; // the last word counted is in the clause
      break;
    }
  }
  // a clause cut short does not end on "that I", "as" or "the"
  while (words.length > 1 && TRAILING.has(words.at(-1)!)) {
    words.pop();
    surface.pop();
  }
  if (words.length === 0) return null;
  // "calling you about Dad's house": a preposition is no verb; "every target you set": a bare verb after a
  // noun is a relative clause, not something done to the speaker
  if (tense !== 'state' && aux !== 'stop' && NOT_VERB.has(words[0]!)) return null;
  if (words.length === 1 && !aux && toks[subj - 1]?.kind === 'word' && !CLAUSE_LEAD.has(toks[subj - 1]!.norm))
    return null;
  if (tense === 'state' && !STATE_START.has(words[0]!) && !words[0]!.endsWith('ing')) return null;
  if (aux === 'stop') {
    // "stop reading my diary" -> "you read my diary", a habit
    words[0] = baseOfIng(words[0]!);
    habit = true;
  }
  const end = toks[j - 1]!.end;
  let verb = words[0]!;
  const rest = surface.slice(1);
  // the speaker's side keeps "you"; the listener's side says "I" and flips the rest
  const flip = (ws: string[]): string[] => ws.map((w) => FLIP[w] ?? w);
  let speaker: string;
  let listener: string;
  if (tense === 'state') {
    // "you're on your phone", "you're never home": a state, said as it is
    const neg = negated ? 'not ' : '';
    speaker = `you're ${neg}${surface.join(' ')}`;
    listener = `I'm ${neg}${flip(surface).join(' ')}`;
  } else if (tense === 'past' || (!habit && !negated && isPastForm(verb))) {
    tense = 'past';
    if (negated) {
      speaker = `you didn't ${surface.join(' ')}`;
      listener = `I didn't ${flip(surface).join(' ')}`;
    } else {
      verb = aux ? pastOf(verb) : verb;
      speaker = `you ${[verb, ...rest].join(' ')}`;
      listener = `I ${[verb, ...flip(rest)].join(' ')}`;
    }
  } else {
    tense = 'habit';
    if (verb === 'keep' && rest[0]?.endsWith('ing')) {
      verb = baseOfIng(rest.shift()!);
    }
    if (negated) {
      speaker = `you don't ${[verb, ...rest].join(' ')}`;
      listener = `I don't ${[verb, ...flip(rest)].join(' ')}`;
    } else {
      speaker = `you ${[verb, ...rest].join(' ')}`;
      listener = `I ${[verb, ...flip(rest)].join(' ')}`;
    }
  }
  const content = words.filter((w) => !FUNCTION.has(w) && w.length > 2);
  // "you don't care", "you're never really here": how it feels, not a fact to concede
  const perceived = (tense === 'habit' && (negated || GENERIC.has(verb))) || (tense === 'state' && negated);
  return {
    speaker: tidy(speaker),
    listener: tidy(listener),
    tense,
    perceived,
    content,
    start: toks[subj]!.start,
    end,
  };
}

function tidy(s: string): string {
  return s.replace(/\bi\b/g, 'I').replace(/\s+/g, ' ').trim();
}

const ASK_AUX = new Set(['can', 'could', 'will', 'would']);
// a request keeps its "when" ("call me when you're late"); it ends at a new clause
const ASK_END = new Set(['and', 'but', 'so', 'because', 'cause', 'bc', 'or', 'cuz', 'coz']);

/**
 * The request a message makes, as the words to ask it with ("can u just call me when ur late" -> "call me
 * when you're late"), so a rewrite keeps its direction. Null when the message asks nothing.
 */
export function requestOf(toks: readonly Token[]): string | null {
  for (let i = 0; i < toks.length; i++) {
    const t = toks[i]!;
    let from = -1;
    // "why would you do that" asks why, not for something
    if (ASK_AUX.has(t.norm) && toks[i + 1]?.norm === 'you' && !WHY.has(toks[i - 1]?.norm ?? '')) from = i + 2;
    else if (
      (t.norm === 'please' || t.norm === 'stop' || t.norm === "let's") &&
      (i === 0 || toks[i - 1]!.kind !== 'word')
    )
      from = t.norm === 'stop' ? i : i + 1;
    if (from < 0) continue;
    const words: string[] = [];
    for (let j = from; j < toks.length; j++) {
      const w = toks[j]!;
      if (w.kind !== 'word') break;
      if (ASK_END.has(w.norm) && words.length > 1) break;
      if (DROP.has(w.norm) || w.norm === 'please') continue;
      words.push(w.norm);
      if (words.length >= 12) break;
    }
    // "please don't accept invitations for me" is asked as "to not accept invitations for me"
    if (words[0] === "don't" && words.length >= 2) words[0] = 'not';
    if (words.length >= 2 || (words.length === 1 && words[0] !== 'stop')) return tidy(words.join(' '));
  }
  return null;
}

// what goes on inside the speaker is not an event of the story ("I felt", "I thought", "I wanted")
const INNER = new Set([
  'felt',
  'thought',
  'knew',
  'wanted',
  'loved',
  'needed',
  'wished',
  'hoped',
  'guessed',
  'meant',
  'realised',
  'realized',
  'decided',
  'tried',
  'liked',
  'hated',
  'cared',
  'used',
  'supposed',
  'guess',
  'wondered',
  'assumed',
  'figured',
  'imagined',
  'started',
  'stopped',
  'kept',
  'had',
]);
const RELATIVE = new Set(['what', 'which', 'that', 'who', 'whatever']);
const YOU_SUBJECT = new Set(['you', "you're", "you've", "you'd", "you'll"]);
const OWN_PAST = new Set([...Object.values(PAST), 'got', 'ended']);

/** The speaker's words said back to them: "I was told I'm nearly there" -> "you were told you're nearly there". */
function heardBack(ws: string[]): string[] {
  const out = ws.map((w) => FLIP[w] ?? w);
  if (out[0] === 'you' && out[1] === 'was') out[1] = 'were';
  return out;
}

/**
 * What happened to the speaker, in their own words, when a message names nothing the other did ("I found
 * out at the gate", "I got cut off three times", "I've been told I'm nearly there"): said as it is, in the
 * past. Null when the message tells of no such thing. One pass.
 */
export function ownEventOf(toks: readonly Token[], text: string): Event | null {
  const titled = isTitled(toks, text);
  let best: Event | null = null;
  let most = 1; // at least two content words: "I went" names nothing
  for (let i = 0; i < toks.length; i++) {
    if (toks[i]!.norm !== 'i' && toks[i]!.norm !== "i've") continue;
    // "what I said about Tom": a relative clause, not a thing that happened
    if (RELATIVE.has(toks[i - 1]?.norm ?? '')) continue;
    let j = i + 1;
    let passive = false;
    if (toks[i]!.norm === "i've") {
      if (toks[j]?.norm !== 'been') continue;
      j++;
      passive = true;
    } else if (toks[j]?.norm === 'was' || toks[j]?.norm === 'got') {
      j++; // "I was told", "I got cut off"
      passive = true;
    }
    while (j < toks.length && DROP.has(toks[j]!.norm)) j++;
    const v = toks[j];
    if (!v || v.kind !== 'word' || INNER.has(v.norm)) continue;
    if (!(passive ? isPastForm(v.norm) || v.norm === 'left' : OWN_PAST.has(v.norm) || /[^e]ed$/.test(v.norm)))
      continue;
    const words: string[] = [];
    const surface: string[] = [];
    let k = i + 1;
    for (; k < toks.length && words.length < 14; k++) {
      const t = toks[k]!;
      if (t.kind === 'punct' && QUOTES.has(t.norm) && words.length > 0) continue;
      if (t.kind !== 'word') break;
      if (END.has(t.norm) && k > j && (!JOIN.has(t.norm) || CLAUSE_START.has(toks[k + 1]?.norm ?? ''))) break;
      // "since I moved to Spain you all act…": a new subject, a new clause
      if (k > j && YOU_SUBJECT.has(t.norm)) break;
      if (DROP.has(t.norm)) continue;
      words.push(t.norm);
      const raw = text.slice(t.start, t.end);
      surface.push(asWritten(t, raw, titled));
    }
    while (words.length > 1 && TRAILING.has(words.at(-1)!)) {
      words.pop();
      surface.pop();
    }
    const content = words.filter((w) => !FUNCTION.has(w) && w.length > 2 && !GENERIC.has(w));
    if (content.length > most) {
      most = content.length;
      const said = tidy(`${toks[i]!.norm} ${surface.join(' ')}`);
      best = {
        speaker: said,
        listener: tidy(heardBack([toks[i]!.norm, ...surface]).join(' ')),
        tense: 'past',
        perceived: false,
        content,
        start: toks[i]!.start,
        end: toks[k - 1]!.end,
      };
    }
    i = k - 1;
  }
  return best;
}
