// The listening lens: what a painful message may carry beneath its wording, in a listener's words. The
// reading itself (reading.ts) is shared with check.

import { data } from './knowledge.js';
import { read, type Reading } from './reading.js';
import {
  CUE_IDS,
  type CueId,
  type FeelingId,
  type HearResult,
  type NeedId,
  type Options,
  type Scored,
} from './types.js';
import { fill, hash, readText } from './util.js';

export { read, mixReading, CORPUS_WEIGHT, findSafety, type Reading } from './reading.js';

function feelingPhrase(feelings: Scored<FeelingId>[]): string {
  const words = data.voice.feelingWords;
  const top = feelings.slice(0, 2).filter((f, i) => i === 0 || f.score >= 0.35);
  return top.map((f) => words[f.id] ?? f.id).join(' and ');
}

/**
 * Three steady replies built from what was heard: reflect, validate, explore. When the message names what
 * happened, they name it too, from the listener's side and in its tense ("when I forgot your birthday, you
 * felt hurt"); otherwise they speak to the need. Each kind has several openings, chosen by the message.
 */
export function buildReplies(
  r: Pick<Reading, 'feelings' | 'needs' | 'safety' | 'event'>,
  seed: number,
): string[] {
  const v = data.voice;
  if (r.safety) return [...data.safety.replies[r.safety.id]];
  const need = r.needs[0]?.id;
  const feel = feelingPhrase(r.feelings);
  if (!need && !feel)
    return pickEach([v.fallback], seed)
      .concat(v.fallback.filter((_, i) => i !== seed % v.fallback.length))
      .slice(0, 3);
  const needId = need ?? ((v.needOfFeeling as Record<string, string>)[r.feelings[0]!.id] as NeedId);
  const vars = {
    feel,
    needPhrase: (v.needPhrase as Record<string, string>)[needId]!,
    situation: (v.needSituation as Record<string, string>)[needId]!,
    needAdjective: (v.needAdjective as Record<string, string>)[needId]!,
  };
  if (r.event && feel) {
    const e = v.event;
    const t = r.event.tense === 'past' ? 'past' : 'ongoing';
    const when = r.event.perceived ? `when it feels like ${r.event.listener}` : `when ${r.event.listener}`;
    const ev = { ...vars, when, When: when.charAt(0).toUpperCase() + when.slice(1) };
    return pickEach([e.reflect[t], e.validate[t], e.explore[t]], seed).map((x) => fill(x, ev));
  }
  const sets = feel
    ? [v.reflect, v.validate, v.explore]
    : [v.reflectNoFeeling, v.validateNoFeeling, v.explore];
  return pickEach(sets, seed).map((t) => fill(t, vars));
}

function pickEach(sets: string[][], seed: number): string[] {
  return sets.map((set, i) => set[(seed >>> (i * 3)) % set.length]!);
}

function misreadingOf(r: Reading): string {
  const feelingIds = new Set(r.feelings.map((f) => f.id));
  const topNeed = r.needs[0]?.id;
  const cueIds = new Set(r.cues.map((c) => c.id));
  for (const m of data.voice.misreadings) {
    const w = m.when as { cue?: CueId; feeling?: FeelingId; need?: NeedId };
    if (w.cue && !cueIds.has(w.cue)) continue;
    if (w.feeling && !feelingIds.has(w.feeling)) continue;
    if (w.need && topNeed !== w.need && !(w.cue && r.needs.slice(0, 2).some((n) => n.id === w.need)))
      continue;
    return m.text;
  }
  return data.voice.misreadings[data.voice.misreadings.length - 1]!.text;
}

function beneathOf(r: Reading): string {
  const b = data.voice.beneath;
  const feel = feelingPhrase(r.feelings);
  const needLine = b[r.needs[0]?.id ?? 'none'] ?? b.none!;
  return feel ? `They may be feeling ${feel}. ${needLine}` : needLine;
}

export function hear(input: string, opts: Options = {}): HearResult {
  const text = readText(input);
  const r = read(text, opts);
  return {
    text,
    cues: r.cues,
    feelings: r.feelings,
    needs: r.needs,
    misreading: r.safety ? 'This is not something to absorb calmly: safety comes first.' : misreadingOf(r),
    beneath: r.safety ? data.safety.messages[r.safety.id] : beneathOf(r),
    heat: r.heat,
    safety: r.safety,
    replies: buildReplies(r, hash(text)),
  };
}

export { CUE_IDS };
