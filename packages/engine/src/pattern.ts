// Token patterns: the small language the rule files are written in.
//
//   word            a normalized word ("don't", "you're")
//   a|b|c           any of these (each one token)
//   @class          any word of a class defined in data/classes.json
//   #q #end #p #,   a question mark; a sentence end (. ! ? ; line break); any punctuation; a comma
//   _               any one word
//   X?              X is optional
//   *N              skip 0..N tokens inside the sentence
//   ~N              skip 0..N tokens, across sentence ends too
//   ^               (first) only at the start of a sentence
//   (a b|c|d e)     a group of alternatives that may be several words long (expanded at load time)
//
// Literal word pairs that the tokenizer merges ("you are" -> "you're") are merged in patterns too.
//
// Every pattern is a straight line of bounded elements, so matching from one start token looks at a
// bounded number of tokens: scanning a text is linear in its length. No user text ever meets a RegExp.

import type { Token } from './text.js';

type Atom =
  | { t: 'word'; w: string }
  | { t: 'class'; words: ReadonlySet<string>; name: string }
  | { t: 'q' }
  | { t: 'end' }
  | { t: 'punct' }
  | { t: 'comma' }
  | { t: 'any' }
  | { t: 'emoji'; e: string };

type Elem = { kind: 'atom'; alts: Atom[]; optional: boolean } | { kind: 'gap'; max: number; cross: boolean };

export interface Compiled {
  source: string;
  elems: Elem[];
  /** Pattern began with "^": it only matches at the start of a sentence. */
  anchored: boolean;
}

export type Classes = Record<string, string[]>;

export class PatternError extends Error {}

/** Expand "(a b|c)" groups into plain patterns: "x (a b|c) y" -> ["x a b y", "x c y"]. */
export function expandGroups(source: string, mergeable: ReadonlySet<string> = NONE): string[] {
  const open = source.indexOf('(');
  if (open < 0) return [source];
  const close = source.indexOf(')', open);
  if (close < 0) throw new PatternError(`unclosed group in pattern "${source}"`);
  const before = source.slice(0, open);
  const after = source.slice(close + 1);
  // "(just )?in case" glued a word to the group: it compiled to the word "just?in" and never matched
  if (/^\??[^\s?]/.test(after)) throw new PatternError(`a group must be followed by a space: "${source}"`);
  const alts = source
    .slice(open + 1, close)
    .split('|')
    .map((a) => a.trim());
  // one-word alternatives stay one alternation: one pattern instead of one per word (a text pays per
  // pattern, and the products of several groups stay small). An empty alternative, a longer one and a word
  // the tokenizer may merge with its neighbour ("you are" is read as "you're") are patterns of their own.
  const lone = (a: string): boolean => a !== '' && !/\s/.test(a) && !mergeable.has(a);
  const single = alts.filter(lone).join('|');
  if (alts.every(lone)) {
    return expandGroups(`${before}${single}${after}`, mergeable).map((s) => s.replace(/\s+/g, ' ').trim());
  }
  const branches: string[] = [];
  for (const a of alts) {
    if (!lone(a)) branches.push(a);
    else if (!branches.includes(single)) branches.push(single); // where the first one-word alternative stood
  }
  const out: string[] = [];
  for (const alt of branches) {
    for (const rest of expandGroups(after, mergeable))
      out.push(`${before} ${alt} ${rest}`.replace(/\s+/g, ' ').trim());
  }
  return out;
}

const NONE: ReadonlySet<string> = new Set();

/** Compile a source that may contain groups into one or more patterns. */
export function compileAll(
  source: string,
  classes: Classes,
  merges: Record<string, string> = {},
): Compiled[] {
  return expandGroups(source, mergeableOf(merges)).map((s) => compile(mergeWords(s, merges), classes));
}

// the words of the merged pairs, per merge table: an alternative among them is expanded on its own
const mergeables = new WeakMap<Record<string, string>, Set<string>>();
function mergeableOf(merges: Record<string, string>): Set<string> {
  let set = mergeables.get(merges);
  if (!set) {
    set = new Set(Object.keys(merges).flatMap((k) => k.split(' ')));
    mergeables.set(merges, set);
  }
  return set;
}

export function mergeWords(source: string, merges: Record<string, string>): string {
  const parts = source.split(' ');
  const out: string[] = [];
  for (let i = 0; i < parts.length; i++) {
    const m = i + 1 < parts.length ? merges[`${parts[i]} ${parts[i + 1]}`] : undefined;
    if (m) {
      out.push(m);
      i++;
    } else out.push(parts[i]!);
  }
  return out.join(' ');
}

export function compile(source: string, classes: Classes): Compiled {
  const parts = source.trim().split(/\s+/);
  const anchored = parts[0] === '^';
  if (anchored) parts.shift();
  const elems: Elem[] = [];
  for (const part of parts) {
    if (/^[*~]\d+$/.test(part)) {
      elems.push({ kind: 'gap', max: Number(part.slice(1)), cross: part[0] === '~' });
      continue;
    }
    let body = part;
    let optional = false;
    if (body.length > 1 && body.endsWith('?')) {
      optional = true;
      body = body.slice(0, -1);
    }
    const alts: Atom[] = body.split('|').map((a): Atom => {
      if (a === '#q') return { t: 'q' };
      if (a === '#end') return { t: 'end' };
      if (a === '#p') return { t: 'punct' };
      if (a === '#,') return { t: 'comma' };
      if (a === '_') return { t: 'any' };
      if (a.startsWith('@')) {
        const words = classes[a.slice(1)];
        if (!words) throw new PatternError(`unknown class ${a} in pattern "${source}"`);
        return { t: 'class', words: new Set(words), name: a.slice(1) };
      }
      if (a.startsWith('%')) return { t: 'emoji', e: a.slice(1) };
      if (!a) throw new PatternError(`empty alternative in pattern "${source}"`);
      return { t: 'word', w: a.toLowerCase().replace(/\u2019/g, "'") };
    });
    elems.push({ kind: 'atom', alts, optional });
  }
  const first = elems[0];
  if (first?.kind !== 'atom' || first.optional) {
    throw new PatternError(`pattern must start with a required word: "${source}"`);
  }
  const last = elems[elems.length - 1]!;
  if (last.kind === 'gap') throw new PatternError(`pattern must not end with a gap: "${source}"`);
  return { source, elems, anchored };
}

function atomMatches(a: Atom, tok: Token): boolean {
  switch (a.t) {
    case 'word':
      return tok.kind === 'word' && tok.norm === a.w;
    case 'class':
      return (tok.kind === 'word' || tok.kind === 'emoji') && a.words.has(tok.norm);
    case 'q':
      return tok.norm === '?';
    case 'end':
      return tok.stop;
    case 'punct':
      return tok.kind === 'punct';
    case 'comma':
      return tok.norm === ',' || tok.norm === '-' || tok.norm === '—' || tok.norm === '–';
    case 'any':
      return tok.kind === 'word';
    case 'emoji':
      return tok.kind === 'emoji' && tok.norm.startsWith(a.e);
  }
}

// The matcher runs for every candidate start token of every message, so it allocates nothing: two
// state buffers reused across calls (it is never re-entered) and a stamp array for O(1) de-duplication
// in place of a Set per step. No closures either: under tsx every closure made in a hot loop also pays
// for a name helper. Distinct states number at most (len + 1) * 64, so that bounds the buffers.
let mark = new Int32Array(1024);
let bufA = new Int32Array(1024);
let bufB = new Int32Array(1024);
let stamp = 0;

/** Add state (e, g) and its epsilon closure (optional atoms and gaps may be skipped) at out[n...]; returns the new count. */
function close(
  out: Int32Array,
  n: number,
  elems: readonly Elem[],
  len: number,
  e: number,
  g: number,
  st: number,
): number {
  for (;;) {
    const key = e * 64 + g;
    if (mark[key] === st) return n;
    mark[key] = st;
    out[n++] = key;
    if (e >= len) return n;
    const el = elems[e]!;
    if (el.kind === 'gap' || el.optional) {
      e++;
      g = 0;
      continue;
    }
    return n;
  }
}

function anyAlt(alts: readonly Atom[], tok: Token): boolean {
  for (let k = 0; k < alts.length; k++) if (atomMatches(alts[k]!, tok)) return true;
  return false;
}

/** Longest match of `p` starting at token `i`; returns the exclusive end token index, or -1. */
export function matchAt(p: Compiled, toks: readonly Token[], i: number): number {
  const elems = p.elems;
  const len = elems.length;
  // states: element index * 64 + gap tokens used; gaps are capped well below 64 by the loader
  const size = (len + 1) * 64;
  if (mark.length < size) {
    mark = new Int32Array(size);
    bufA = new Int32Array(size);
    bufB = new Int32Array(size);
    stamp = 0;
  }
  if (stamp > 2_000_000_000) {
    mark.fill(0);
    stamp = 0;
  }
  let states = bufA;
  let next = bufB;
  let n = close(states, 0, elems, len, 0, 0, ++stamp);
  let best = -1;
  for (let t = i; ; t++) {
    for (let k = 0; k < n; k++) {
      if (states[k]! >> 6 === len) {
        best = t;
        break;
      }
    }
    if (t >= toks.length || n === 0) break;
    const tok = toks[t]!;
    const st = ++stamp;
    let m = 0;
    for (let k = 0; k < n; k++) {
      const s = states[k]!;
      const e = s >> 6;
      if (e >= len) continue;
      const g = s & 63;
      const el = elems[e]!;
      if (el.kind === 'gap') {
        if (g < el.max && (el.cross || !tok.stop)) m = close(next, m, elems, len, e, g + 1, st);
      } else if (anyAlt(el.alts, tok)) {
        m = close(next, m, elems, len, e + 1, 0, st);
      }
    }
    const swap = states;
    states = next;
    next = swap;
    n = m;
  }
  return best;
}

/** Keys under which a pattern is indexed: the words its first element can match. */
export function firstKeys(p: Compiled): string[] | 'any' {
  const first = p.elems[0] as Extract<Elem, { kind: 'atom' }>;
  const keys: string[] = [];
  for (const a of first.alts) {
    if (a.t === 'word') keys.push(a.w);
    else if (a.t === 'class') keys.push(...a.words);
    else if (a.t === 'q') keys.push('?');
    else return 'any';
  }
  return keys;
}

/** Every word a pattern names, so the tokenizer can recognise stretched spellings of them. */
export function wordsOf(p: Compiled): string[] {
  const out: string[] = [];
  for (const el of p.elems) {
    if (el.kind !== 'atom') continue;
    for (const a of el.alts) {
      if (a.t === 'word') out.push(a.w);
      else if (a.t === 'class') out.push(...a.words);
    }
  }
  return out;
}

export interface Hit<R> {
  rule: R;
  pattern: number;
  /** token range, end exclusive */
  from: number;
  to: number;
}

/**
 * A set of patterns indexed by their first word. `scan` visits each token once and tries only the
 * patterns that can start there: linear in the text, proportional to the few rules that apply.
 */
export class PatternIndex<R> {
  private byKey = new Map<string, Array<Entry<R>>>();
  private anyStart: Array<Entry<R>> = [];
  private count = 0;
  // per scan: whether an entry's needed words are in the text (0 unknown, 1 yes, 2 no), stamped by scan
  private seen = new Int32Array(0);
  private viable = new Uint8Array(0);
  private scans = 0;

  add(rule: R, idx: number, p: Compiled): void {
    const entry: Entry<R> = { rule, idx, p, id: this.count++, need: neededWords(p) };
    const keys = firstKeys(p);
    if (keys === 'any') {
      this.anyStart.push(entry);
      return;
    }
    for (const k of new Set(keys)) {
      let list = this.byKey.get(k);
      if (!list) this.byKey.set(k, (list = []));
      list.push(entry);
    }
  }

  scan(toks: readonly Token[]): Hit<R>[] {
    const hits: Hit<R>[] = [];
    if (this.seen.length < this.count) {
      this.seen = new Int32Array(this.count);
      this.viable = new Uint8Array(this.count);
    }
    const scan = ++this.scans;
    // the words of the text, once: a pattern whose later words are absent is never simulated
    const fits = (e: Entry<R>): boolean => {
      if (!e.need) return true;
      if (this.seen[e.id] === scan) return this.viable[e.id] === 1;
      const present = wordsIn(toks);
      const ok = e.need.every((alts) => alts.some((w) => present.has(w)));
      this.seen[e.id] = scan;
      this.viable[e.id] = ok ? 1 : 2;
      return ok;
    };
    for (let i = 0; i < toks.length; i++) {
      const list = this.byKey.get(toks[i]!.norm);
      if (list) for (const e of list) if (fits(e)) this.tryAt(hits, e, toks, i);
      for (const e of this.anyStart) if (fits(e)) this.tryAt(hits, e, toks, i);
    }
    return hits;
  }

  private tryAt(hits: Hit<R>[], e: Entry<R>, toks: readonly Token[], i: number): void {
    const p = e.p;
    if (p.anchored && i > 0 && !toks[i - 1]!.stop && toks[i - 1]!.norm !== '"') return;
    const end = matchAt(p, toks, i);
    if (end > i) hits.push({ rule: e.rule, pattern: e.idx, from: i, to: end });
  }
}

// the last text's words: the indexes (cues, moves, safety, needs…) scan the same tokens one after another
let lastToks: readonly Token[] | null = null;
let lastLength = -1;
let lastWords = new Set<string>();
function wordsIn(toks: readonly Token[]): Set<string> {
  if (toks !== lastToks || toks.length !== lastLength) {
    lastLength = toks.length;
    lastWords = new Set();
    for (const t of toks) lastWords.add(t.norm);
    lastToks = toks;
  }
  return lastWords;
}

interface Entry<R> {
  rule: R;
  idx: number;
  p: Compiled;
  /** Unique within its index: the slot of its per-scan verdict. */
  id: number;
  /** Words of required elements after the first: the text must hold one of each list, or null. */
  need: string[][] | null;
}

/**
 * The two most selective required elements after the first that match words only (a word or a class):
 * one of each list must be in the text for the pattern to match anywhere in it.
 */
export function neededWords(p: Compiled): string[][] | null {
  const lists: string[][] = [];
  for (let k = 1; k < p.elems.length; k++) {
    const el = p.elems[k]!;
    if (el.kind !== 'atom' || el.optional) continue;
    const words: string[] = [];
    let wordsOnly = true;
    for (const a of el.alts) {
      if (a.t === 'word') words.push(a.w);
      else if (a.t === 'class') words.push(...a.words);
      else wordsOnly = false;
    }
    if (wordsOnly && words.length) lists.push(words);
  }
  if (!lists.length) return null;
  return lists.sort((a, b) => a.length - b.length).slice(0, 2);
}
