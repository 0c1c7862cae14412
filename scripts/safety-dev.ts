// Dev figures for the safety detector: 5-fold cross-validation over the training part of corpus/safety
// (never the frozen test). Rules alone, the model alone and both, per category, with false alarms.
// Usage: node --import tsx scripts/safety-dev.ts [--misses] [--sweep] [--by-writer]
//   --sweep: the false-alarm budget per category; --by-writer: folds hold out whole writers' files, the nearer
//   estimate of a writer the model has never read (random folds share each writer's habits across folds)
import { hear } from '@steady/engine';
import { safetySplit } from '@steady/learn';
import {
  messageNegatives,
  outOfFold,
  practiceNegatives,
  tuneThresholds,
  SAFETY_RECIPE,
  CATEGORIES,
  SAFETY_BUDGET,
  writerOf,
} from '../packages/learn/src/safety.ts';

const { train: rs } = safetySplit();
// as fitSafety scores it: the smaller of the message's and its most telling sentence's probability
const byWriter = process.argv.includes('--by-writer');
const recipe = process.env.SAFETY_RECIPE
  ? { ...SAFETY_RECIPE, ...JSON.parse(process.env.SAFETY_RECIPE) }
  : SAFETY_RECIPE;
const oof = outOfFold(
  rs,
  recipe,
  5,
  [...practiceNegatives(), ...messageNegatives()],
  byWriter ? writerOf : undefined,
).map((s) => Object.fromEntries(CATEGORIES.map((c) => [c, Math.min(s[c]!, s[`max:${c}`]!)])));
const rules = rs.map((r) => hear(r.text, { models: false }).safety?.id ?? null);
const modelAt = (th: Record<string, number>) =>
  oof.map((s) => {
    let best: string | null = null;
    let m = 0;
    for (const c of CATEGORIES)
      if (s[c]! / th[c]! >= 1 && s[c]! / th[c]! > m) [best, m] = [c, s[c]! / th[c]!];
    return best;
  });
const th = tuneThresholds(rs, oof, SAFETY_BUDGET);
const model = modelAt(th);
const both = rules.map((r, i) => r ?? model[i]!);
const neg = rs.map((_r, i) => i).filter((i) => rs[i]!.label === 'none');
const line = (name: string, pred: (string | null)[]): string => {
  const parts = CATEGORIES.map((c) => {
    const gold = rs.map((_r, i) => i).filter((i) => rs[i]!.label === c);
    return `${c} ${(gold.filter((i) => pred[i] === c).length / gold.length).toFixed(3)}`;
  });
  return `${name.padEnd(7)} recall: ${parts.join('  ')}  | false alarms ${neg.filter((i) => pred[i]).length}/${neg.length}`;
};
console.log(
  `dev (5-fold${byWriter ? ' by writer' : ''}, ${rs.length} messages); thresholds ${JSON.stringify(th)}`,
);
console.log(line('rules', rules));
console.log(line('model', model));
console.log(line('both', both));
if (process.argv.includes('--sweep'))
  for (const b of [0.004, 0.008, 0.012, 0.016, 0.02, 0.025, 0.03]) {
    const m = modelAt(tuneThresholds(rs, oof, b));
    console.log(
      line(
        `b=${b}`,
        rules.map((r, i) => r ?? m[i]!),
      ),
    );
  }
if (process.argv.includes('--misses')) {
  rs.forEach((r, i) => {
    if (r.label !== 'none' && both[i] !== r.label)
      console.log(`MISS ${r.label}/${r.sub} [${r.style}] ${r.text.slice(0, 200)}`);
    if (r.label === 'none' && both[i])
      console.log(`FA ${both[i]} (${rules[i] ? 'rule' : 'model'}) [${r.kind}] ${r.text.slice(0, 200)}`);
  });
}
if (process.argv.includes('--gate')) {
  // a rule that is often wrong on the training part keeps its flag only when the model leans the same way
  const { knowledge, tokenize } = await import('@steady/engine');
  const k = knowledge();
  // urgent and self-harm rules always stand (the engine's RULE_GATE leaves them alone)
  const urgentOf = new Map(k.safety.rules.map((r) => [r.name, r.level === 'urgent' || r.id === 'self_harm']));
  const hitsOf = rs.map((r, i) => {
    const id = rules[i];
    return id
      ? k.safety
          .match(tokenize(r.text))
          .filter((h) => h.rule.id === id)
          .map((h) => h.rule.name)
      : [];
  });
  const st: Record<string, [number, number]> = {};
  rs.forEach((r, i) => {
    for (const n of new Set(hitsOf[i])) {
      st[n] ??= [0, 0];
      st[n]![0]++;
      if (r.label === rules[i]) st[n]![1]++;
    }
  });
  const trust = (n: string): number => (st[n] ? st[n]![1] / st[n]![0] : 1);
  for (const [tmin, floor] of [
    [0.9, 0.05],
    [0.9, 0.1],
    [0.9, 0.2],
    [0.95, 0.1],
    [0.95, 0.2],
  ] as const) {
    const gated = rules.map((id, i) => {
      if (!id) return null;
      const keep = hitsOf[i]!.some((n) => trust(n) >= tmin || urgentOf.get(n)) || oof[i]![id]! >= floor;
      return keep ? id : null;
    });
    console.log(
      line(
        `g${tmin}/${floor}`,
        gated.map((r, i) => r ?? model[i]!),
      ),
    );
  }
}
