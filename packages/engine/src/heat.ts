// Heat: how charged a text is (intensity, not blame). A saturating sum of signals, 0..1.

import { capsRatio, type Token } from './text.js';
import { data } from './data.js';

export interface HeatSignals {
  absolutes?: number;
  labels?: number;
  accusing?: number;
  youStatements?: number;
  faux?: number;
  anger?: number;
  contempt?: number;
  hostile?: number;
  safety?: boolean;
}

// swearing raises the heat of a message: data/classes.json
const PROFANE = new Set(data.classes.profane);

export function heatOf(toks: readonly Token[], s: HeatSignals): number {
  let profane = 0;
  let bangs = 0;
  for (const t of toks) {
    if (t.kind === 'word' && PROFANE.has(t.norm)) profane++;
    else if (t.norm === '!') bangs++;
  }
  const sum =
    0.22 * Math.min(4, s.absolutes ?? 0) +
    0.4 * Math.min(3, s.labels ?? 0) +
    0.3 * Math.min(3, s.accusing ?? 0) +
    0.1 * Math.min(4, s.youStatements ?? 0) +
    0.08 * Math.min(3, s.faux ?? 0) +
    0.35 * Math.min(4, profane) +
    1.2 * capsRatio(toks as Token[]) +
    0.15 * Math.min(3, bangs) +
    0.5 * (s.anger ?? 0) +
    0.45 * Math.min(3, s.contempt ?? 0) +
    0.15 * Math.min(4, s.hostile ?? 0) +
    (s.safety ? 0.8 : 0);
  return 1 - Math.exp(-sum);
}
