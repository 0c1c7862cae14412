// Dev figures for soften over the training part of corpus/messages (never the frozen test): the share of
// messages whose event words the start-up keeps, blame-free start-ups, and the top need kept.
// Usage: node --import tsx scripts/soften-dev.ts
import { hear, soften } from '@steady/engine';
import { eventWordsKept } from '../packages/learn/src/hear-report.ts';
import { messageSplit } from '../packages/learn/src/messages.ts';
const BLAME = new Set(['absolute', 'label', 'faux_feeling', 'accusing_question']);
const rs = messageSplit().train;
let n = 0,
  kept = 0,
  m = 0,
  free = 0,
  need = 0;
for (const r of rs) {
  const s = soften(r.text);
  if (s.safety) continue;
  m++;
  const h = hear(s.softened);
  if (!h.cues.some((c) => BLAME.has(c.id))) free++;
  const o = hear(r.text);
  if (o.needs[0] && h.needs.slice(0, 2).some((x) => x.id === o.needs[0]!.id)) need++;
  const k = eventWordsKept(r.event, s.softened);
  if (k === null) continue;
  n++;
  if (k) kept++;
}
console.log(
  `dev: event kept ${(kept / n).toFixed(3)} (${n}), blame-free ${(free / m).toFixed(3)}, need kept ${(need / m).toFixed(3)}`,
);
