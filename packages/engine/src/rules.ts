// Rules as data: each rule names an id, the patterns that find it, the context that cancels it, and
// examples that must and must not match (run as tests). This module turns a rule file into a matcher.

import { compileAll, PatternIndex, wordsOf, type Classes, } from './pattern.js';
import { MERGE, type Token } from './text.js';

export interface RuleSpec {
  /** The public id (cue, move or safety id). */
  id: string;
  /** A unique, stable name for this rule within its file. */
  name: string;
  patterns: string[];
  /** Cancelled when one of these matches anywhere in the same sentence. */
  unless?: string[];
  /** Cancelled when one of these ends at most 6 tokens before the match, in the same sentence. */
  unlessBefore?: string[];
  /** Cancelled when one of these starts right after the match (a comma between is allowed). */
  unlessAfter?: string[];
  /** Only counts when one of these ends at most 6 tokens before the match, in the same sentence. */
  requireBefore?: string[];
  /** Cancelled when one of these matches anywhere in the text (for short replies: "... and come back"). */
  unlessText?: string[];
  /** How many tokens before the match `unlessBefore` looks (default 6). */
  beforeWindow?: number;
  /** `unlessBefore` stays inside the clause: it does not look past a comma or other punctuation. */
  clause?: boolean;
  /** Cancelled by a negating frame just before it ("I'm not saying ..."). Default true. */
  negatable?: boolean;
  /** Examples that must produce this id, and ones that must not. */
  match: string[];
  noMatch: string[];
  [extra: string]: unknown;
}

export interface RuleHit<R extends RuleSpec = RuleSpec> {
  rule: R;
  from: number;
  to: number;
  start: number;
  end: number;
}

type CondKind = 'unless' | 'before' | 'after' | 'text' | 'require';
interface Cond {
  /** Every rule this context belongs to: a context shared by many rules is matched once. */
  rules: number[];
  kind: CondKind;
}

const WINDOW = 6;

export class RuleSet<R extends RuleSpec = RuleSpec> {
  readonly rules: R[];
  /** Every word the patterns name: the tokenizer's vocabulary for stretched spellings. */
  readonly vocab: string[] = [];
  private main = new PatternIndex<number>();
  private conds = new PatternIndex<Cond>();
  private frames = new PatternIndex<number>();
  private hasFrames: boolean;

  constructor(rules: R[], classes: Classes, negatingFrames: string[] = []) {
    this.rules = rules;
    const vocab = this.vocab;
    const add = <K>(index: PatternIndex<K>, key: K, pi: number, src: string): void => {
      for (const p of compileAll(src, classes, MERGE)) {
        vocab.push(...wordsOf(p));
        index.add(key, pi, p);
      }
    };
    const shared = new Map<string, Cond>();
    const cond = (ri: number, kind: CondKind, src: string, pi: number): void => {
      const key = `${kind}\u0000${src}`;
      const known = shared.get(key);
      if (known) {
        if (!known.rules.includes(ri)) known.rules.push(ri);
        return;
      }
      const c: Cond = { rules: [ri], kind };
      shared.set(key, c);
      add(this.conds, c, pi, src);
    };
    rules.forEach((r, ri) => {
      r.patterns.forEach((src, pi) => add(this.main, ri, pi, src));
      (r.unless ?? []).forEach((src, pi) => cond(ri, 'unless', src, pi));
      (r.unlessBefore ?? []).forEach((src, pi) => cond(ri, 'before', src, pi));
      (r.requireBefore ?? []).forEach((src, pi) => cond(ri, 'require', src, pi));
      (r.unlessText ?? []).forEach((src, pi) => cond(ri, 'text', src, pi));
      (r.unlessAfter ?? []).forEach((src, pi) => cond(ri, 'after', src, pi));
    });
    negatingFrames.forEach((src, i) => add(this.frames, 0, i, src));
    this.hasFrames = negatingFrames.length > 0;
  }

  match(toks: readonly Token[]): RuleHit<R>[] {
    const raw = this.main.scan(toks);
    if (raw.length === 0) return [];
    // Context is gathered once per text into sparse sets, so each check below is O(1)/O(window).
    const inSentence = new Map<number, Set<number>>(); // rule -> sentences
    const endsAt = new Map<number, Set<number>>(); // rule -> token indices where a "before" context ends
    const startsAt = new Map<number, Set<number>>(); // rule -> token indices where an "after" context starts
    const requiredEnds = new Map<number, Set<number>>(); // rule -> token indices where a required context ends
    const inText = new Set<number>();
    for (const h of this.conds.scan(toks)) {
      const { rules, kind } = h.rule;
      for (const rule of rules) {
        if (kind === 'text') {
          inText.add(rule);
          continue;
        }
        const map =
          kind === 'unless'
            ? inSentence
            : kind === 'before'
              ? endsAt
              : kind === 'require'
                ? requiredEnds
                : startsAt;
        let set = map.get(rule);
        if (!set) map.set(rule, (set = new Set()));
        set.add(kind === 'unless' ? toks[h.from]!.sent : kind === 'after' ? h.from : h.to);
      }
    }
    const frameEnds = new Set<number>();
    if (this.hasFrames) for (const h of this.frames.scan(toks)) frameEnds.add(h.to);

    const out: RuleHit<R>[] = [];
    for (const h of raw) {
      const rule = this.rules[h.rule]!;
      const sent = toks[h.from]!.sent;
      if (inText.has(h.rule) || inSentence.get(h.rule)?.has(sent)) continue;
      if (nearBefore(endsAt.get(h.rule), toks, h.from, sent, rule.beforeWindow, rule.clause)) continue;
      if (rule.requireBefore && !nearBefore(requiredEnds.get(h.rule), toks, h.from, sent)) continue;
      if (nearAfter(startsAt.get(h.rule), toks, h.to, sent)) continue;
      if (rule.negatable !== false && nearBefore(frameEnds, toks, h.from, sent)) continue;
      out.push({ rule, from: h.from, to: h.to, start: toks[h.from]!.start, end: toks[h.to - 1]!.end });
    }
    return dedupe(out);
  }
}

function nearBefore(
  set: Set<number> | undefined,
  toks: readonly Token[],
  from: number,
  sent: number,
  window = WINDOW,
  clause = false,
): boolean {
  if (!set) return false;
  for (let t = from; t >= Math.max(0, from - window); t--) {
    if (set.has(t)) return true;
    if (t > 0 && (toks[t - 1]!.sent !== sent || (clause && toks[t - 1]!.kind === 'punct'))) return false;
  }
  return false;
}

/** An "after" context must begin right after the match, or after one comma or dash. */
function nearAfter(set: Set<number> | undefined, toks: readonly Token[], to: number, sent: number): boolean {
  if (!set || to >= toks.length || toks[to]!.sent !== sent) return false;
  if (set.has(to)) return true;
  const t = toks[to]!;
  return t.kind === 'punct' && !t.stop && set.has(to + 1);
}

/** Per id, keep the longest of overlapping hits, so one phrase is reported once. O(n log n). */
function dedupe<R extends RuleSpec>(hits: RuleHit<R>[]): RuleHit<R>[] {
  const byId = new Map<string, RuleHit<R>[]>();
  for (const h of hits) {
    let l = byId.get(h.rule.id);
    if (!l) byId.set(h.rule.id, (l = []));
    l.push(h);
  }
  const out: RuleHit<R>[] = [];
  for (const list of byId.values()) {
    list.sort((a, b) => a.from - b.from || b.to - a.to);
    let cur: RuleHit<R> | undefined;
    for (const h of list) {
      if (cur && h.from < cur.to) {
        if (h.to - h.from > cur.to - cur.from) cur = h;
        continue;
      }
      if (cur) out.push(cur);
      cur = h;
    }
    if (cur) out.push(cur);
  }
  return out.sort((a, b) => a.start - b.start || a.end - b.end);
}
