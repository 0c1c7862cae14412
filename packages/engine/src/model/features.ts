// Features for the learned models: hashed word unigrams and bigrams and character n-grams inside words,
// built from the engine's own tokens so training and inference see text the same way.

import type { Token } from '../text.js';
import { data } from '../data.js';

export interface FeatureSpec {
  /** log2 of the hashed feature space. */
  bits: number;
  bigrams: boolean;
  /** Inclusive range of character n-gram lengths inside "<word>", or null for none. */
  chars: [number, number] | null;
  /**
   * Add word classes from data/concepts.json, singly and in pairs within three words: `true` for the safety
   * classes, "moves" for the reply classes (the move model).
   */
  concepts?: boolean | 'moves';
  /** Add each word's crude stem ("threatened", "threatens" -> "threaten"), so inflections share weight. */
  stems?: boolean;
}

/** A few English suffixes off, never below three letters: a feature, not a lemma. */
export function stemOf(w: string): string {
  for (const suf of ['ing', 'ed', 'es', 's', 'ly']) {
    if (w.length - suf.length >= 3 && w.endsWith(suf)) {
      const base = w.slice(0, -suf.length);
      // "stopped" -> "stop", "hitting" -> "hit"
      return base.length >= 4 && base[base.length - 1] === base[base.length - 2] ? base.slice(0, -1) : base;
    }
  }
  return w;
}

// word -> its classes, built once per table
const conceptMaps = new Map<string, Map<string, string[]>>();
function conceptMap(table: 'classes' | 'moves'): Map<string, string[]> {
  let map = conceptMaps.get(table);
  if (map) return map;
  map = new Map();
  for (const [name, words] of Object.entries(data.concepts[table])) {
    for (const w of words) map.set(w, [...(map.get(w) ?? []), name]);
  }
  conceptMaps.set(table, map);
  return map;
}

/** FNV-1a over a string, seeded by a namespace so one text can feed several feature groups. */
export function fnv(s: string, seed = 0x811c9dc5): number {
  let h = seed >>> 0;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h >>> 0;
}

// A long "word" (bait, base64) adds at most this many characters of n-grams: features stay linear and bounded.
const MAX_WORD = 24;

/**
 * Feature ids for one token stream, unique and sorted. `ns` namespaces a second text (the message a
 * reply answers) so its words count separately from the reply's own.
 */
export function featuresOf(
  toks: readonly Token[],
  spec: FeatureSpec,
  ns = 0,
  out: Set<number> = new Set(),
): Set<number> {
  const mask = spec.bits >= 32 ? 0xffffffff : (1 << spec.bits) - 1;
  const seed = (0x811c9dc5 ^ Math.imul(ns + 1, 0x9e3779b1)) >>> 0;
  const add = (s: string): void => {
    out.add(fnv(s, seed) & mask);
  };
  let prev = '<s>';
  let prevSent = -1;
  for (const t of toks) {
    if (t.sent !== prevSent) {
      if (spec.bigrams && prevSent !== -1) add(`b ${prev} </s>`);
      prev = '<s>';
      prevSent = t.sent;
    }
    const w = t.norm.length > MAX_WORD ? t.norm.slice(0, MAX_WORD) : t.norm;
    add(`w ${w}`);
    if (spec.stems && t.kind === 'word') {
      const st = stemOf(w);
      if (st !== w) add(`s ${st}`);
    }
    if (spec.bigrams) add(`b ${prev} ${w}`);
    prev = w;
    if (spec.chars && t.kind === 'word') {
      const s = `<${w}>`;
      const [lo, hi] = spec.chars;
      for (let n = lo; n <= hi; n++) for (let i = 0; i + n <= s.length; i++) add(`c ${s.slice(i, i + n)}`);
    }
  }
  if (spec.bigrams && prevSent !== -1) add(`b ${prev} </s>`);
  if (spec.concepts) {
    const map = conceptMap(spec.concepts === 'moves' ? 'moves' : 'classes');
    // the classes of the last three words of the sentence so far: pairs stay within a sentence
    const recent: (string[] | undefined)[] = [];
    let sent = -1;
    for (const t of toks) {
      if (t.sent !== sent) {
        recent.length = 0;
        sent = t.sent;
      }
      const cs = map.get(t.norm);
      if (cs) {
        for (const c of cs) {
          add(`k ${c}`);
          for (const prior of recent) if (prior) for (const p of prior) add(`kk ${p} ${c}`);
        }
      }
      recent.push(cs);
      if (recent.length > 3) recent.shift();
    }
  }
  if (toks.length === 0) add('empty');
  return out;
}

export function sortedIds(set: Set<number>): Uint32Array {
  return Uint32Array.from(set).sort();
}
