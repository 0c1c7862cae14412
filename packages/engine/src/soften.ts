// The speaker's side: the same reading, turned into a gentle start-up that keeps the pain and the
// request and drops the blame: what happened, what I feel, what I need, what I ask.

import { data, knowledge } from './knowledge.js';
import { read } from './hear.js';
import type { FeelingId, NeedId, Options, SoftenResult } from './types.js';
import { readText } from './util.js';

const FEELING_FOR_NEED: Record<NeedId, FeelingId> = {
  seen: 'lonely', heard: 'hurt', connection: 'lonely', security: 'scared', respect: 'hurt',
  support: 'overwhelmed', autonomy: 'overwhelmed', honesty: 'hurt', acceptance: 'hurt',
};

export function soften(input: string, opts: Options = {}): SoftenResult {
  const text = readText(input);
  const r = read(text, opts);
  if (r.safety) {
    // Never a gentler version of a threat, and no coaching for a writer at risk: help for them instead.
    const message = (data.safety.writer as Record<string, string>)[r.safety.id]!;
    return {
      text,
      cues: r.cues,
      feelings: r.feelings,
      needs: r.needs,
      softened: '',
      parts: { observation: '', feeling: '', need: '', request: '' },
      safety: { ...r.safety, message },
    };
  }
  const s = data.soften;
  const v = data.voice;

  let topic: (typeof s.topics)[number] | undefined;
  let best = Infinity;
  for (const h of knowledge().topics.scan(r.toks)) if (h.rule < best) best = h.rule;
  if (best !== Infinity) topic = s.topics[best];

  // Anger is often the guard in front of hurt: a gentle start-up names what it protects.
  const feelings = r.feelings.filter((f) => f.id !== 'angry');
  const need: NeedId =
    r.needs[0]?.id ??
    ((feelings[0] && (v.needOfFeeling as Record<string, NeedId>)[feelings[0].id]) || 'connection');
  const feeling: FeelingId = feelings[0]?.id ?? FEELING_FOR_NEED[need];
  const feelWord = (v.feelingWords as Record<string, string>)[feeling] ?? feeling;
  const observation = topic?.observation ?? s.fallbackObservation;
  const request = topic?.request ?? (s.needRequest as Record<string, string>)[need]!;
  const needNoun = (s.needNoun as Record<string, string>)[need]!;
  const softened = `${observation}, I feel ${feelWord}, because I need ${needNoun}. ${request}`;
  return {
    text,
    cues: r.cues,
    feelings: r.feelings,
    needs: r.needs,
    softened,
    parts: { observation, feeling: feelWord, need, request },
  };
}
