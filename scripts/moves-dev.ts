// Dev figures for check's moves: 5-fold cross-validation over the training part of corpus/replies (never
// the frozen test). Rules alone, the models alone, and both reconciled with the whole-reply head as check
// does (RECONCILE in engine/src/check.ts): defensive-vs-steady accuracy and move micro-F1.
// Usage: node --import tsx scripts/moves-dev.ts [--misses] [--by-writer]
import { check, RECONCILE } from '@steady/engine';
import {
  MOVE_IDS,
  MOVES_RECIPE,
  REPLY_RECIPE,
  moveThresholds,
  movesOutOfFold,
  practiceReplies,
  prepare,
  replyLabel,
  replyOutOfFold,
  replySplit,
  ruleTrust,
  writerOfReply,
} from '../packages/learn/src/replies.ts';

const DEF = new Set<string>(MOVE_IDS.slice(0, 12));
const ps = replySplit().train.map((r) => prepare(r));
// --by-writer: folds hold out whole writers' files; MOVES_RECIPE='{…}' overrides the move model's recipe
const byWriter = process.argv.includes('--by-writer') ? writerOfReply : undefined;
const recipe = process.env.MOVES_RECIPE
  ? { ...MOVES_RECIPE, ...JSON.parse(process.env.MOVES_RECIPE) }
  : MOVES_RECIPE;
const oof = movesOutOfFold(ps, recipe, 5, byWriter);
const th = moveThresholds(ps, oof);
const replyRecipe = process.env.REPLY_RECIPE
  ? { ...REPLY_RECIPE, ...JSON.parse(process.env.REPLY_RECIPE) }
  : REPLY_RECIPE;
const pDefensive = replyOutOfFold(ps, replyRecipe, 5, practiceReplies(), byWriter);
const ruled = ps.map((p) => check(p.r.reply, { to: p.r.to || undefined, models: false }).moves);
const rules = ruled.map((ms) => new Set(ms.map((m) => m.id as string)));
// trust measured on the whole training part: a slight optimism in this dev figure, said here
const trust = ruleTrust(ps);
const model = ps.map((_, i) => {
  const found = new Set<string>();
  oof[i]!.forEach((probs) =>
    MOVE_IDS.forEach((id, c) => {
      if (probs[c]! >= th[c]!) found.add(id);
    }),
  );
  return found;
});
const both = rules.map((r, i) => {
  const found = new Set([...r, ...model[i]!]);
  const pd = pDefensive[i]!;
  if (pd < RECONCILE.dropModelBelow)
    for (const id of model[i]!) if (DEF.has(id) && !r.has(id)) found.delete(id);
  if (pd < RECONCILE.dropRulesBelow)
    for (const m of ruled[i]!)
      if (DEF.has(m.id) && (trust[m.rule ?? ''] ?? 1) < RECONCILE.trustRulesFrom && !model[i]!.has(m.id))
        found.delete(m.id);
  if (pd >= RECONCILE.addAt && ![...found].some((id) => DEF.has(id))) {
    let best = '',
      bp = -1;
    oof[i]!.forEach((pr) =>
      MOVE_IDS.forEach((id, c) => {
        if (DEF.has(id) && pr[c]! > bp) [bp, best] = [pr[c]!, id];
      }),
    );
    found.add(best);
  }
  return found;
});
function score(name: string, pred: Set<string>[]) {
  let tp = 0,
    fp = 0,
    fn = 0,
    acc = 0;
  ps.forEach((p, i) => {
    const gold = new Set(p.r.moves.map((m) => m.id as string));
    for (const id of MOVE_IDS as string[]) {
      if (pred[i]!.has(id)) gold.has(id) ? tp++ : fp++;
      else if (gold.has(id)) fn++;
    }
    if ([...pred[i]!].some((id) => DEF.has(id)) === (replyLabel(p.r) === 'defensive')) acc++;
  });
  const prec = tp / Math.max(1, tp + fp),
    rec = tp / Math.max(1, tp + fn);
  console.log(
    `${name.padEnd(6)} accuracy ${(acc / ps.length).toFixed(3)}  micro P ${prec.toFixed(3)} R ${rec.toFixed(3)} F1 ${((2 * prec * rec) / Math.max(1e-9, prec + rec)).toFixed(3)}`,
  );
}
console.log(
  `dev (5-fold, ${ps.length} replies, ${ps.filter((p) => replyLabel(p.r) === 'defensive').length} defensive)`,
);
score('rules', rules);
score('model', model);
score('both', both);
if (process.argv.includes('--misses'))
  ps.forEach((p, i) => {
    const gold = new Set(p.r.moves.map((m) => m.id as string));
    const miss = [...gold].filter((id) => !both[i]!.has(id));
    const extra = [...both[i]!].filter((id) => !gold.has(id));
    if (miss.length || extra.length)
      console.log(`${p.r.id} miss=${miss.join(',')} extra=${extra.join(',')} | ${p.r.reply.slice(0, 140)}`);
  });
