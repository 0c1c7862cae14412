// Dev figures for hear's feelings and needs: 5-fold cross-validation over the training part of
// corpus/messages (never the frozen test). The lexicons and GoEmotions alone, then with the corpus models
// blended in at several weights, as hear blends them (a weighted mix; CORPUS_WEIGHT in engine/src/hear.ts).
// Usage: node --import tsx scripts/hear-dev.ts
import { hear } from '@steady/engine';
import { FEELING_CLASSES, NEED_CLASSES, hearOutOfFold, messageSplit } from '../packages/learn/src/messages.ts';

const rs = messageSplit().train.filter((r) => r.feelings.length && r.needs.length);
const oof = hearOutOfFold(rs);
// the lexicons, the fallbacks and GoEmotions, without the corpus models (which were trained on these messages)
const base = rs.map((r) => hear(r.text, { corpus: false }));
/** The lexicons' scores and the model's probabilities, mixed: (1 - w) of the one and w of the other. */
function top(scores: { id: string; score: number }[], probs: Float64Array, classes: string[], w: number): string[] {
  const m = new Map<string, number>();
  for (const s of scores) m.set(s.id, (1 - w) * s.score);
  classes.forEach((c, i) => { if (c !== 'none') m.set(c, (m.get(c) ?? 0) + w * probs[i]!); });
  return [...m].filter(([, s]) => s > 0).sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).map(([id]) => id);
}
for (const w of [0, 0.3, 0.5, 0.7, 0.85, 1]) {
  let f1 = 0, f3 = 0, n1 = 0, n3 = 0;
  rs.forEach((r, i) => {
    const f = top(base[i]!.feelings, oof.feelings[i]!, FEELING_CLASSES, w);
    const n = top(base[i]!.needs, oof.needs[i]!, NEED_CLASSES, w);
    if (f[0] === r.feelings[0]) f1++;
    if (f.slice(0, 3).includes(r.feelings[0]!)) f3++;
    if (n[0] === r.needs[0]) n1++;
    if (n.slice(0, 3).includes(r.needs[0]!)) n3++;
  });
  const k = rs.length;
  console.log(`weight ${w}: feelings top-1 ${(f1 / k).toFixed(3)} top-3 ${(f3 / k).toFixed(3)} | needs top-1 ${(n1 / k).toFixed(3)} top-3 ${(n3 / k).toFixed(3)}  (n=${k})`);
}
// the lexicons first when they are sure (a need or feeling named outright), the mix otherwise
for (const strong of [0.8, 0.9, 0.95]) {
  let f1 = 0, n1 = 0;
  rs.forEach((r, i) => {
    const pick = (scores: { id: string; score: number }[], probs: Float64Array, classes: string[]) => (scores[0] && scores[0].score >= strong ? scores[0].id : top(scores, probs, classes, 0.85)[0]);
    if (pick(base[i]!.feelings, oof.feelings[i]!, FEELING_CLASSES) === r.feelings[0]) f1++;
    if (pick(base[i]!.needs, oof.needs[i]!, NEED_CLASSES) === r.needs[0]) n1++;
  });
  console.log(`lexicon first from ${strong}: feelings top-1 ${(f1 / rs.length).toFixed(3)} | needs top-1 ${(n1 / rs.length).toFixed(3)}`);
}
