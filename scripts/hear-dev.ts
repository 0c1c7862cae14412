// Dev figures for hear's feelings and needs: 5-fold cross-validation over the training part of
// corpus/messages (never the frozen test). The lexicons and GoEmotions alone, then with the corpus models
// blended in at several weights, as hear blends them (a weighted mix; CORPUS_WEIGHT in engine/src/hear.ts).
// Usage: node --import tsx scripts/hear-dev.ts [--by-writer]
import { hear, mixReading, CORPUS_WEIGHT } from '@steady/engine';
import {
  FEELING_CLASSES,
  HEAR_RECIPE,
  NEED_CLASSES,
  hearOutOfFold,
  messageSplit,
} from '../packages/learn/src/messages.ts';

const rs = messageSplit().train.filter((r) => r.feelings.length && r.needs.length);
// --by-writer: folds hold out whole writers' files (the estimate for a writer not yet seen); HEAR_RECIPE='{…}'
// overrides the recipe for an experiment
const recipe = process.env.HEAR_RECIPE
  ? { ...HEAR_RECIPE, ...JSON.parse(process.env.HEAR_RECIPE) }
  : HEAR_RECIPE;
const oof = hearOutOfFold(
  rs,
  recipe,
  5,
  process.argv.includes('--by-writer') ? (r) => r.id.slice(0, r.id.lastIndexOf('-')) : undefined,
);
// the lexicons, the fallbacks and GoEmotions, without the corpus models (which were trained on these messages)
const base = rs.map((r) => hear(r.text, { corpus: false }));
// as hear mixes them (mixReading, engine/src/hear.ts), at the shipped weight
{
  const w = CORPUS_WEIGHT;
  let f1 = 0,
    f3 = 0,
    n1 = 0,
    n3 = 0;
  rs.forEach((r, i) => {
    const f = mixReading(base[i]!.feelings, oof.feelings[i]!, FEELING_CLASSES).map((x) => x.id as string);
    const n = mixReading(base[i]!.needs, oof.needs[i]!, NEED_CLASSES).map((x) => x.id as string);
    if (f[0] === r.feelings[0]) f1++;
    if (f.slice(0, 3).includes(r.feelings[0]!)) f3++;
    if (n[0] === r.needs[0]) n1++;
    if (n.slice(0, 3).includes(r.needs[0]!)) n3++;
  });
  const k = rs.length;
  console.log(
    `weight ${w}: feelings top-1 ${(f1 / k).toFixed(3)} top-3 ${(f3 / k).toFixed(3)} | needs top-1 ${(n1 / k).toFixed(3)} top-3 ${(n3 / k).toFixed(3)}  (n=${k})`,
  );
}
