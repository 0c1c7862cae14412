// The tasks: how each dataset becomes examples, how each model is fit (train split, tuned on dev),
// and how each is scored on test. Shipped models (GoEmotions, AnnoMI) are packed for the engine;
// research models (EPITOME, ESConv: non-commercial data) are fit in memory and never written out.

import { idsOf, loadModel, tokenize, type FeatureSpec, type Model, type ModelArtifact } from '@steady/engine';
import * as D from './data.js';
import { argmax, bestThreshold, multiLabel, singleLabel, tuneOffsets } from './metrics.js';
import { pack, train, type Example, type TrainOptions } from './trainer.js';

export interface Recipe {
  spec: FeatureSpec;
  epochs: number;
  lr: number;
  l2: number;
  balance: number;
  keep: number;
}

// Chosen per task on dev (docs/eval/methods.md, `npm run methods`): character n-grams with sparse L2 won
// on GoEmotions and pruning to 12k rows cost about a point; the smaller dialogue sets preferred words and
// bigrams (AnnoMI, EPITOME ER/EX) or less regularization (ESConv, EPITOME IP).
const WORDS = { bits: 18, bigrams: true, chars: null };
const CHARS = { bits: 18, bigrams: true, chars: [3, 5] as [number, number] };
export const RECIPES: Record<string, Recipe> = {
  goemotions: { spec: CHARS, epochs: 8, lr: 0.2, l2: 0.003, balance: 0.5, keep: 12000 },
  annomi: { spec: WORDS, epochs: 8, lr: 0.2, l2: 0.003, balance: 0.5, keep: 8000 },
  'epitome-er': { spec: WORDS, epochs: 8, lr: 0.2, l2: 0.003, balance: 0.5, keep: 1 << 30 },
  'epitome-ip': { spec: CHARS, epochs: 8, lr: 0.2, l2: 0.0003, balance: 0.5, keep: 1 << 30 },
  'epitome-ex': { spec: WORDS, epochs: 8, lr: 0.2, l2: 0.003, balance: 0.5, keep: 1 << 30 },
  esconv: { spec: CHARS, epochs: 6, lr: 0.1, l2: 0, balance: 0.5, keep: 1 << 30 },
};

export const SEED = 20201;

export type Tick = (label: string, done: number, total: number) => void;

/** Train and pack one model by its recipe: the corpus models (safety, moves, reply, feelings, needs) share it. */
export function fitRecipe(
  name: string,
  classes: readonly string[],
  ex: Example[],
  r: Recipe,
  o: { multiLabel?: boolean; tick?: Tick } = {},
): ModelArtifact {
  const t = train(ex, {
    classes: [...classes],
    multiLabel: o.multiLabel ?? false,
    spec: r.spec,
    epochs: r.epochs,
    lr: r.lr,
    l2: r.l2,
    balance: r.balance,
    seed: SEED,
    onEpoch: (e) => o.tick?.(name, e + 1, r.epochs),
  });
  return pack(t, name, r.keep);
}

function fit(
  name: string,
  classes: string[],
  multi: boolean,
  ex: Example[],
  r: Recipe,
  tick?: Tick,
  extra: Partial<ModelArtifact> = {},
): ModelArtifact {
  const opts: TrainOptions = {
    classes,
    multiLabel: multi,
    spec: r.spec,
    epochs: r.epochs,
    lr: r.lr,
    l2: r.l2,
    balance: r.balance,
    seed: SEED,
    onEpoch: (e) => tick?.(name, e + 1, r.epochs),
  };
  return pack(train(ex, opts), name, r.keep, extra);
}

const pairIds = (spec: FeatureSpec, text: string, context?: string): Uint32Array =>
  idsOf(spec, tokenize(text), context === undefined ? undefined : tokenize(context));

// ---------- GoEmotions ----------

export function goExamples(dir: string, split: D.Split, spec: FeatureSpec): Example[] {
  return D.goemotions(dir, split).map((r) => ({ ids: pairIds(spec, r.text), y: r.label_ids }));
}

export function fitGoEmotions(dir: string, tick?: Tick, r = RECIPES.goemotions!): ModelArtifact {
  const labels = D.goemotionLabels(dir);
  const art = fit('goemotions', labels, true, goExamples(dir, 'train', r.spec), r, tick);
  const model = loadModel(art);
  const dev = goExamples(dir, 'dev', r.spec);
  const probs = dev.map((e) => model.predictIds(e.ids));
  art.thresholds = labels.map((_, c) =>
    bestThreshold(
      probs.map((p) => p[c]!),
      dev.map((e) => e.y.includes(c)),
    ),
  );
  return art;
}

/** Probability of a group (Ekman, sentiment) as the largest of its members'. */
function groupProbs(p: ArrayLike<number>, groups: number[][]): number[] {
  return groups.map((members) => members.reduce((m, c) => Math.max(m, p[c]!), 0));
}

export function evalGoEmotions(dir: string, art: ModelArtifact) {
  const labels = D.goemotionLabels(dir);
  const model = loadModel(art);
  const th = art.thresholds ?? labels.map(() => 0.5);
  const test = goExamples(dir, 'test', art.spec);
  const probs = test.map((e) => model.predictIds(e.ids));
  const predict = (p: Float64Array): number[] => {
    const s = labels.map((_, c) => c).filter((c) => p[c]! >= th[c]!);
    return s.length ? s : [argmax(p)]; // every comment has at least one label
  };
  const fine = multiLabel(
    labels,
    test.map((e) => e.y),
    probs.map(predict),
  );

  // Ekman: the 28 labels grouped into six emotions plus neutral; group thresholds tuned on dev.
  const ekman = D.ekmanMapping(dir);
  const gNames = [...Object.keys(ekman), 'neutral'];
  const groups = gNames.map((g) =>
    g === 'neutral' ? [labels.indexOf('neutral')] : ekman[g]!.map((l) => labels.indexOf(l)),
  );
  const groupOf = (ys: number[]): number[] =>
    gNames.map((_, gi) => gi).filter((gi) => ys.some((y) => groups[gi]!.includes(y)));
  const dev = goExamples(dir, 'dev', art.spec);
  const devG = dev.map((e) => groupProbs(model.predictIds(e.ids), groups));
  const gth = gNames.map((_, gi) =>
    bestThreshold(
      devG.map((p) => p[gi]!),
      dev.map((e) => groupOf(e.y).includes(gi)),
    ),
  );
  const testG = probs.map((p) => groupProbs(p, groups));
  const ekmanScore = multiLabel(
    gNames,
    test.map((e) => groupOf(e.y)),
    testG.map((p) => {
      const s = gNames.map((_, gi) => gi).filter((gi) => p[gi]! >= gth[gi]!);
      return s.length ? s : [argmax(p)];
    }),
  );

  // Majority baseline: every comment is "neutral", the most frequent label.
  const neutral = labels.indexOf('neutral');
  const majority = multiLabel(
    labels,
    test.map((e) => e.y),
    test.map(() => [neutral]),
  ).macroF1;
  const majorityEkman = multiLabel(
    gNames,
    test.map((e) => groupOf(e.y)),
    test.map(() => [gNames.length - 1]),
  ).macroF1;
  return {
    macroF1: fine.macroF1,
    ekmanMacroF1: ekmanScore.macroF1,
    perClass: fine.perClass,
    ekmanPerClass: ekmanScore.perClass,
    majority,
    majorityEkman,
    probs,
    test,
  };
}

/**
 * Polarity (positive / negative / neutral) on the test comments whose labels all fall in one polarity:
 * ours (emotion probabilities grouped by GoEmotions' sentiment mapping) against VADER, off the shelf.
 */
export async function evalPolarity(dir: string, art: ModelArtifact, probs: Float64Array[], test: Example[]) {
  const labels = D.goemotionLabels(dir);
  const sm = D.sentimentMapping(dir);
  const names = ['positive', 'negative', 'neutral'];
  const groups = names.map((n) =>
    n === 'neutral' ? [labels.indexOf('neutral')] : sm[n]!.map((l) => labels.indexOf(l)),
  );
  const texts = D.goemotions(dir, 'test').map((r) => r.text);
  const th = art.thresholds ?? labels.map(() => 0.5);
  const gold: number[] = [];
  const ours: number[] = [];
  const vader: number[] = [];
  const { default: vaderLib } = await import('vader-sentiment');
  test.forEach((e, i) => {
    const gs = new Set(e.y.map((y) => groups.findIndex((g) => g.includes(y))));
    if (gs.size !== 1 || gs.has(-1)) return; // ambiguous or mixed polarity
    gold.push([...gs][0]!);
    // each emotion's probability relative to its own tuned threshold: the scale the model decides on
    ours.push(argmax(groups.map((g) => g.reduce((m, c) => Math.max(m, probs[i]![c]! / th[c]!), 0))));
    const c = vaderLib.SentimentIntensityAnalyzer.polarity_scores(texts[i]!).compound;
    vader.push(c >= 0.05 ? 0 : c <= -0.05 ? 1 : 2);
  });
  const majorityClass = argmax(names.map((_, k) => gold.filter((g) => g === k).length));
  return {
    n: gold.length,
    ours: singleLabel(names, gold, ours),
    vader: singleLabel(names, gold, vader),
    majority: singleLabel(
      names,
      gold,
      gold.map(() => majorityClass),
    ),
  };
}

// ---------- single-label tasks: one softmax, offsets tuned on dev ----------

export interface Pair {
  text: string;
  context?: string;
  label: string;
}

export function fitSoftmax(
  name: string,
  classes: string[],
  trainSet: Pair[],
  devSet: Pair[],
  r: Recipe,
  tick?: Tick,
): ModelArtifact {
  const toEx = (p: Pair): Example => ({
    ids: pairIds(r.spec, p.text, p.context),
    y: [classes.indexOf(p.label)],
  });
  const art = fit(name, classes, false, trainSet.map(toEx), r, tick);
  const model = loadModel(art);
  const dev = devSet.map(toEx);
  const off = tuneOffsets(
    dev.map((e) => model.predictIds(e.ids)),
    dev.map((e) => e.y[0]!),
    classes.length,
    classes,
  );
  art.bias = art.bias.map((b, c) => Math.round((b + off[c]!) * 1e6) / 1e6);
  return art;
}

export function scoreSoftmax(
  model: Model,
  classes: string[],
  testSet: Pair[],
  collapse?: (label: string) => string,
  coarse?: string[],
) {
  const spec = model.artifact.spec;
  const pred = testSet.map((p) => classes[argmax(model.predictIds(pairIds(spec, p.text, p.context)))]!);
  const names = coarse ?? classes;
  const map = collapse ?? ((l: string) => l);
  const gold = testSet.map((p) => names.indexOf(map(p.label)));
  const res = singleLabel(
    names,
    gold,
    pred.map((l) => names.indexOf(map(l))),
  );
  const counts = names.map((_, k) => gold.filter((g) => g === k).length);
  const maj = argmax(counts);
  const majority = singleLabel(
    names,
    gold,
    gold.map(() => maj),
  );
  return {
    ...res,
    majority: { acc: majority.acc, macroF1: majority.macroF1, label: names[maj]! },
    n: gold.length,
  };
}

// ---------- EPITOME ----------

export const MECHANISMS = ['er', 'ip', 'ex'] as const;
const LEVELS = ['0', '1', '2'];

export function epitomePairs(dir: string, split: D.Split, m: (typeof MECHANISMS)[number]): Pair[] {
  return D.epitome(dir, split).map((r) => ({
    text: r.response,
    context: r.seeker,
    label: String(r[`${m}_level`]),
  }));
}

export function evalEpitome(dir: string, tick?: Tick) {
  const out: Record<string, ReturnType<typeof scoreSoftmax>> = {};
  for (const m of MECHANISMS) {
    const art = fitSoftmax(
      `epitome-${m}`,
      LEVELS,
      epitomePairs(dir, 'train', m),
      epitomePairs(dir, 'dev', m),
      RECIPES[`epitome-${m}`]!,
      tick,
    );
    out[m] = scoreSoftmax(loadModel(art), LEVELS, epitomePairs(dir, 'test', m));
  }
  return out as Record<(typeof MECHANISMS)[number], ReturnType<typeof scoreSoftmax>>;
}

// ---------- ESConv ----------

export const STRATEGIES = [
  'Question',
  'Restatement or Paraphrasing',
  'Reflection of feelings',
  'Self-disclosure',
  'Affirmation and Reassurance',
  'Providing Suggestions',
  'Information',
  'Others',
];

export function esconvPairs(dir: string, split: D.Split): Pair[] {
  return D.esconvTurns(D.esconv(dir, split)).map((t) => ({ text: t.text, context: t.to, label: t.strategy }));
}

export function evalEsconv(dir: string, tick?: Tick) {
  const art = fitSoftmax(
    'esconv',
    STRATEGIES,
    esconvPairs(dir, 'train'),
    esconvPairs(dir, 'dev'),
    RECIPES.esconv!,
    tick,
  );
  return scoreSoftmax(loadModel(art), STRATEGIES, esconvPairs(dir, 'test'));
}

// ---------- AnnoMI ----------

export function annomiPairs(dir: string, split: D.Split): Pair[] {
  return D.annomiTherapist(D.annomiFull(dir, split)).map((u) => ({
    text: u.text,
    context: u.to,
    label: u.label,
  }));
}

export function fitAnnomi(dir: string, tick?: Tick, r = RECIPES.annomi!): ModelArtifact {
  return fitSoftmax(
    'annomi',
    [...D.ANNOMI_FINE],
    annomiPairs(dir, 'train'),
    annomiPairs(dir, 'dev'),
    r,
    tick,
  );
}

export function evalAnnomi(dir: string, art: ModelArtifact) {
  const model = loadModel(art);
  const fine = [...D.ANNOMI_FINE];
  // Behaviour on the simple release's test utterances, with the client turn before each.
  const simple: Pair[] = [];
  for (const r of D.annomi(dir, 'test')) {
    if (r.speaker !== 'therapist' || !r.therapist_behaviour) continue;
    const prev = [...r.context].reverse().find((c) => c.speaker === 'client');
    simple.push({ text: r.text, context: prev?.text ?? '', label: r.therapist_behaviour });
  }
  const behaviour = scoreSoftmax(
    model,
    fine,
    simple.map((p) => ({
      ...p,
      label:
        p.label === 'therapist_input'
          ? 'input_other'
          : p.label === 'reflection'
            ? 'reflection_simple'
            : p.label === 'question'
              ? 'question_open'
              : 'other',
    })),
    D.coarseOf,
    [...D.ANNOMI_COARSE],
  );
  // Simple versus complex, on the test reflections of the full release (first annotator).
  const refl = annomiPairs(dir, 'test').filter((p) => p.label.startsWith('reflection'));
  const spec = art.spec;
  const rNames = ['reflection_simple', 'reflection_complex'];
  const gold = refl.map((p) => rNames.indexOf(p.label));
  const pred = refl.map((p) => {
    const pr = model.predictIds(pairIds(spec, p.text, p.context));
    return pr[fine.indexOf('reflection_complex')]! > pr[fine.indexOf('reflection_simple')]! ? 1 : 0;
  });
  const reflection = singleLabel(['simple', 'complex'], gold, pred);
  const maj = argmax([0, 1].map((k) => gold.filter((g) => g === k).length));
  const rMajority = singleLabel(
    ['simple', 'complex'],
    gold,
    gold.map(() => maj),
  );
  return {
    ...behaviour,
    reflection: {
      ...reflection,
      n: gold.length,
      majority: { acc: rMajority.acc, macroF1: rMajority.macroF1 },
    },
  };
}
