// The learned safety classifier (models/safety.json), trained by `steady train` on the project's own
// safety corpus (corpus/safety). When it reads the same features as the emotion model, hear computes them
// once for both. Rules give exact spans; a flag from the model alone spans the sentence that scored highest.

import { safetyModel } from './model/registry.js';
import { idsOf, type Model } from './model/linear.js';
import { sentencesOf } from './moves-model.js';
import type { FeatureSpec } from './model/features.js';
import type { Token } from './text.js';
import type { SafetyId } from './types.js';

export interface LearnedSafety {
  id: SafetyId;
  p: number;
  urgent: boolean;
  span: { start: number; end: number };
}

const IDS = ['self_harm', 'violence', 'control'] as const;

/** Per category: the summed probability of its classes ("self_harm:concern", "self_harm:urgent") and of its urgent one. */
export function safetyScores(
  p: ArrayLike<number>,
  classes: readonly string[],
): Record<SafetyId, { p: number; urgent: number }> {
  const out = { self_harm: { p: 0, urgent: 0 }, violence: { p: 0, urgent: 0 }, control: { p: 0, urgent: 0 } };
  classes.forEach((c, i) => {
    const [id, level] = c.split(':') as [SafetyId | 'none', string | undefined];
    if (id === 'none') return;
    out[id].p += p[i]!;
    if (level === 'urgent') out[id].urgent += p[i]!;
  });
  return out;
}

export function sameSpec(a: FeatureSpec, b: FeatureSpec): boolean {
  return (
    a.bits === b.bits &&
    a.bigrams === b.bigrams &&
    (a.concepts ?? false) === (b.concepts ?? false) &&
    !a.stems === !b.stems &&
    (a.chars?.[0] ?? 0) === (b.chars?.[0] ?? 0) &&
    (a.chars?.[1] ?? 0) === (b.chars?.[1] ?? 0)
  );
}

/**
 * The category that clears its tuned threshold by the widest margin, or null. A category counts only when
 * the whole message and its most telling sentence both score above the threshold: danger is said in a
 * sentence, and a long post should not add up to a flag from weak signals spread across it.
 */
export function safetyOfModel(
  toks: Token[],
  ids?: { spec: FeatureSpec; ids: Uint32Array },
): LearnedSafety | null {
  const model = safetyModel();
  if (toks.length === 0) return null;
  const spec = model.artifact.spec;
  const whole = safetyScores(
    ids && sameSpec(ids.spec, spec) ? model.predictIds(ids.ids) : model.predict(toks),
    model.classes,
  );
  const groups = model.artifact.groups ?? {};
  const th = (id: SafetyId): number => groups[id]?.threshold ?? 1.01;
  const candidates = IDS.filter((id) => whole[id].p >= th(id));
  if (candidates.length === 0) return null; // the common case: one prediction, nothing more
  let best: LearnedSafety | null = null;
  let margin = 0;
  for (const id of candidates) {
    const top = topSentence(model, toks, id);
    const m = Math.min(whole[id].p, top.p) / th(id);
    if (m >= 1 && m > margin) {
      margin = m;
      best = { id, p: whole[id].p, urgent: whole[id].urgent > whole[id].p / 2, span: top.span };
    }
  }
  return best;
}

/**
 * A rule that was often wrong on the training corpus (its `trust`, the share of its flags that were right,
 * below trustFrom) keeps its flag only when the model leans the same way: the model's score for the category,
 * the smaller of the whole message's and its most telling sentence's, at least `floor`. Chosen on dev
 * (scripts/safety-dev.ts --gate): false alarms 139 -> 124 of 3,162 negatives for 0.003 of recall; on a writer
 * read before training (xh), false alarms 8.1% -> 6.7% at the same recall. Self-harm and urgent rules are never
 * gated (reading.ts): gating self-harm cost real long posts (cssrs-reddit dev 0.476 -> 0.381), and a missed
 * method or harm under way costs more than a false alarm.
 */
export const RULE_GATE = { trustFrom: 0.95, floor: 0.2 };

/** Whether a rule's flag for `id` stands: a trusted rule always, another one only with the model's lean. */
export function ruleStands(
  toks: Token[],
  id: SafetyId,
  rule: string,
  ids?: { spec: FeatureSpec; ids: Uint32Array },
): boolean {
  const model = safetyModel();
  if ((model.artifact.trust?.[rule] ?? 1) >= RULE_GATE.trustFrom || toks.length === 0) return true;
  const spec = model.artifact.spec;
  const whole = safetyScores(
    ids && sameSpec(ids.spec, spec) ? model.predictIds(ids.ids) : model.predict(toks),
    model.classes,
  )[id].p;
  return whole >= RULE_GATE.floor && topSentence(model, toks, id).p >= RULE_GATE.floor;
}

/** The sentence the model finds most telling, and its score: only computed for a candidate flag, which is rare. */
function topSentence(
  model: Model,
  toks: Token[],
  id: SafetyId,
): { p: number; span: { start: number; end: number } } {
  let best = { start: toks[0]!.start, end: toks[toks.length - 1]!.end };
  let bestP = -1;
  for (const [from, to] of sentencesOf(toks)) {
    const sent = toks.slice(from, to);
    const words = sent.filter((t) => t.kind === 'word');
    if (!words.length) continue;
    const p = safetyScores(model.predictIds(idsOf(model.artifact.spec, sent)), model.classes)[id].p;
    if (p > bestP) {
      bestP = p;
      best = { start: words[0]!.start, end: sent[sent.length - 1]!.end };
    }
  }
  return { p: Math.max(0, bestP), span: best };
}
