// The engine's knowledge, loaded once from the reviewable data files and compiled into matchers.

import { data } from './data.js';
import { RuleSet } from './rules.js';
import { PatternIndex, compileAll } from './pattern.js';
import type { MoveInfo, MoveRule, SafetyRule } from './schema.js';
import { MERGE, setVocabulary, type Token } from './text.js';
import type { FeelingId, MoveId, NeedId } from './types.js';

export { data };
export type { MoveInfo, SafetyRule };
const { classes, cues, frames, lexicon, moves, safety, soften } = data;

interface Compiled {
  cues: RuleSet;
  moves: RuleSet<MoveRule>;
  safety: RuleSet<SafetyRule>;
  needs: PatternIndex<NeedId>;
  needWeight: Record<string, number>;
  topics: PatternIndex<number>;
  /** Negating frames ("I'm not saying", "it's not that"): a sentence with one is not read as defence by the model. */
  negating: PatternIndex<number>;
  /** soften's asks: each source pattern compiled, tested against a text's tokens. */
  asks: Map<string, { test(toks: readonly Token[]): boolean }[]>;
  /** Per safety id, the words that make a concern urgent. */
  urgency: PatternIndex<string>;
  vocab: ReadonlySet<string>;
}

/** A safety rule with its named contexts folded into the plain conditions the rule matcher knows. */
function withContexts(r: SafetyRule): SafetyRule {
  const ctx = safety.contexts;
  const out: SafetyRule = {
    ...r,
    unlessBefore: [...(r.unlessBefore ?? [])],
    unless: [...(r.unless ?? [])],
    clause: true,
  };
  for (const name of r.contexts ?? []) {
    const c = ctx[name];
    if (!c) throw new Error(`safety rule ${r.name}: unknown context "${name}"`);
    out.unlessBefore!.push(...(c.before ?? []));
    out.unless!.push(...(c.sentence ?? []));
    if (c.window) out.beforeWindow = c.window;
  }
  return out;
}

let compiled: Compiled | undefined;

/** Compile on first use: importing the engine stays cheap, and a web worker pays once. */
export function knowledge(): Compiled {
  if (compiled) return compiled;
  const cls = classes;
  const negating = frames.negating;
  const needs = new PatternIndex<NeedId>();
  const needWeight: Record<string, number> = {};
  for (const n of lexicon.needs) {
    needWeight[n.need] = n.weight;
    // need patterns are plain phrases separated by "|"
    n.patterns.forEach((src, i) => {
      for (const phrase of src.split('|'))
        for (const p of compileAll(phrase, cls, MERGE)) needs.add(n.need as NeedId, i, p);
    });
  }
  const topics = new PatternIndex<number>();
  soften.topics.forEach((t, ti) =>
    t.patterns.forEach((src, i) => {
      for (const phrase of src.split('|'))
        for (const p of compileAll(phrase, cls, MERGE)) topics.add(ti, i, p);
    }),
  );
  const sets = {
    cues: new RuleSet(cues.rules, cls, negating),
    moves: new RuleSet(moves.rules, cls, negating),
    safety: new RuleSet(safety.rules.map(withContexts), cls, []),
  };
  const urgency = new PatternIndex<string>();
  for (const [id, list] of Object.entries(safety.urgency)) {
    if (!Array.isArray(list)) continue;
    list.forEach((phrase, i) => {
      for (const p of compileAll(phrase, cls, MERGE)) urgency.add(id, i, p);
    });
  }
  const vocab = new Set<string>([
    ...sets.cues.vocab,
    ...sets.moves.vocab,
    ...sets.safety.vocab,
    ...Object.keys(lexicon.feelings),
  ]);
  const asks = new Map<string, { test(toks: readonly Token[]): boolean }[]>();
  for (const a of soften.asks) {
    for (const src of a.patterns) {
      const index = new PatternIndex<number>();
      compileAll(src, cls, MERGE).forEach((p, i) => index.add(0, i, p));
      asks.set(src, [{ test: (toks) => index.scan(toks).length > 0 }]);
    }
  }
  const negatingIndex = new PatternIndex<number>();
  negating.forEach((src, i) => compileAll(src, cls, MERGE).forEach((p) => negatingIndex.add(0, i, p)));
  compiled = {
    ...sets,
    safety: sets.safety as RuleSet<SafetyRule>,
    needs,
    needWeight,
    topics,
    urgency,
    asks,
    negating: negatingIndex,
    vocab,
  };
  return compiled;
}

// Installed on import, so the first text tokenized in a process reads as every later one does.
setVocabulary(() => knowledge().vocab);

export const moveInfo: Record<MoveId, MoveInfo> = moves.ids;
export const feelingLexicon: Record<string, Partial<Record<FeelingId, number>>> = lexicon.feelings;
/** Feeling words that mean something else after these words ("leave me alone" is not loneliness). */
export const feelingUnless: Record<string, string[]> = lexicon.feelingUnless;
export const fauxLexicon: Record<
  string,
  { feelings: Partial<Record<FeelingId, number>>; needs: Partial<Record<NeedId, number>> }
> = lexicon.faux;
export const cueNotes: Record<string, string> = cues.notes;
export const cueLabels: Record<string, string> = cues.labels;
