// Dev figures for check's moves: 5-fold cross-validation over the training part of corpus/replies (never
// the frozen test). Rules alone, the model alone and both: defensive-vs-steady accuracy and move micro-F1.
// Usage: node --import tsx scripts/moves-dev.ts [--misses]
import { check } from '@steady/engine';
import { MOVE_IDS, MOVES_RECIPE, moveThresholds, movesOutOfFold, prepare, replyLabel, replySplit } from '../packages/learn/src/replies.ts';

const DEF = new Set(MOVE_IDS.slice(0, 12));
const ps = replySplit().train.map(prepare);
const oof = movesOutOfFold(ps, MOVES_RECIPE);
const th = moveThresholds(ps, oof);
const rules = ps.map((p) => new Set(check(p.r.reply, { to: p.r.to || undefined, models: false }).moves.map((m) => m.id as string)));
const model = ps.map((p, i) => {
  const found = new Set<string>();
  oof[i]!.forEach((probs) => MOVE_IDS.forEach((id, c) => { if (probs[c]! >= th[c]!) found.add(id); }));
  return found;
});
const both = rules.map((r, i) => new Set([...r, ...model[i]!]));
function score(name: string, pred: Set<string>[]) {
  let tp = 0, fp = 0, fn = 0, acc = 0;
  ps.forEach((p, i) => {
    const gold = new Set(p.r.moves.map((m) => m.id as string));
    for (const id of MOVE_IDS) {
      if (pred[i]!.has(id)) gold.has(id) ? tp++ : fp++;
      else if (gold.has(id)) fn++;
    }
    const saysDef = [...pred[i]!].some((id) => DEF.has(id));
    if (saysDef === (replyLabel(p.r) === 'defensive')) acc++;
  });
  const prec = tp / Math.max(1, tp + fp), rec = tp / Math.max(1, tp + fn);
  console.log(`${name.padEnd(6)} accuracy ${(acc / ps.length).toFixed(3)}  micro P ${prec.toFixed(3)} R ${rec.toFixed(3)} F1 ${(2 * prec * rec / Math.max(1e-9, prec + rec)).toFixed(3)}`);
}
console.log(`dev (5-fold, ${ps.length} replies, ${ps.filter((p) => replyLabel(p.r) === 'defensive').length} defensive)`);
score('rules', rules);
score('model', model);
score('both', both);
if (process.argv.includes('--misses')) ps.forEach((p, i) => {
  const gold = new Set(p.r.moves.map((m) => m.id as string));
  const miss = [...gold].filter((id) => !both[i]!.has(id));
  const extra = [...both[i]!].filter((id) => !gold.has(id));
  if (miss.length || extra.length) console.log(`${p.r.id} miss=${miss.join(',')} extra=${extra.join(',')} | ${p.r.reply.slice(0, 140)}`);
});
