// The safety task: the project's own labelled corpus (corpus/safety, docs/safety.md), a frozen
// stratified test split, a 7-way classifier (none, or a category at a level) trained on the rest with
// thresholds chosen by cross-validation, and the evaluation on the frozen test and on public sets.

import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  fnv,
  hear,
  knowledge,
  idsOf,
  loadModel,
  sentencesOf,
  tokenize,
  type ModelArtifact,
  type SafetyId,
} from '@steady/engine';
import { readJsonl } from './data.js';
import { freezeFiles, frozenSplit, readCorpus } from './split.js';
import { messageSplit } from './messages.js';
import { f1Of } from './metrics.js';
import type { Example } from './trainer.js';
import { fitRecipe, SEED, type Recipe, type Tick } from './tasks.js';

export const SAFETY_CLASSES = [
  'none',
  'self_harm:concern',
  'self_harm:urgent',
  'violence:concern',
  'violence:urgent',
  'control:concern',
  'control:urgent',
];
export const CATEGORIES = ['self_harm', 'violence', 'control'] as const;

export interface SafetyRecord {
  id: string;
  text: string;
  label: SafetyId | 'none';
  level: 'concern' | 'urgent' | null;
  sub?: string;
  kind?: string;
  style: string;
  relationship?: string;
  explicit?: string;
}

/**
 * Chosen on dev (5-fold cross-validation of the training part; scripts/safety-dev.ts): words and bigrams
 * with the concept classes of data/concepts.json recalled more than character n-grams at the same false
 * alarms (self_harm 0.58 against 0.36, control 0.59 against 0.44; violence 0.44 against 0.56), and adding
 * GoEmotions comments as negatives lowered recall everywhere. Crude stems (features.ts) added 0.04 to
 * self_harm at the same false alarms; a 7-way softmax beat 4-way, three sigmoids and one class per sub.
 */
export const SAFETY_RECIPE: Recipe = {
  // 2^20 buckets and 40,000 kept rows: on dev (5-fold, same false-alarm budget) mean recall 0.603 -> 0.650
  // against 2^18 and 12,000; 60,000 rows added 0.015 more for half again the size. No concept classes: with
  // folds that hold out whole writers (scripts/safety-dev.ts --by-writer, 6,376 messages) mean recall 0.626 ->
  // 0.647 at the same false alarms; the hand-made word classes fit the writers they were drawn from.
  spec: { bits: 20, bigrams: true, chars: null, concepts: false, stems: true },
  epochs: 10,
  lr: 0.2,
  l2: 0.001,
  balance: 0.5,
  keep: 40000,
};

export const SAFETY_CORPUS = new URL('../../../corpus/safety/', import.meta.url).pathname;

export function readSafetyCorpus(dir = SAFETY_CORPUS): SafetyRecord[] {
  return readCorpus<SafetyRecord>(dir, 'safety corpus', (r) => {
    if (!r.text?.trim() || !['none', ...CATEGORIES].includes(r.label)) return 'bad record';
    if (r.label !== 'none' && r.level !== 'concern' && r.level !== 'urgent')
      return 'a positive needs a level';
    return undefined;
  });
}

export const classOf = (r: SafetyRecord): string => (r.label === 'none' ? 'none' : `${r.label}:${r.level}`);
const stratum = (r: SafetyRecord): string => `${classOf(r)}|${r.style}`;

/** Freeze the test split of safety corpus files not yet frozen (split.ts); returns the new test ids. */
export function freezeSplit(records: SafetyRecord[], dir = SAFETY_CORPUS): string[] {
  return freezeFiles(records, dir, stratum, 'the safety corpus');
}

export function safetySplit(dir = SAFETY_CORPUS): { train: SafetyRecord[]; test: SafetyRecord[] } {
  return frozenSplit(readSafetyCorpus(dir), dir);
}

function examples(rs: SafetyRecord[], r: Recipe): Example[] {
  return rs.map((x) => ({ ids: idsOf(r.spec, tokenize(x.text)), y: [SAFETY_CLASSES.indexOf(classOf(x))] }));
}

function fitOn(rs: SafetyRecord[], r: Recipe, tick?: Tick): ModelArtifact {
  return fitRecipe('safety', SAFETY_CLASSES, examples(rs, r), r, { tick });
}

/** Category probability (the sum of its levels) for each record, from a model that never saw it (k folds). */
/** The writer's file a record came from ("co5-0001" -> "co5"): folds by writer estimate unseen writers. */
export const writerOf = (r: { id: string }): string => r.id.slice(0, r.id.lastIndexOf('-'));

export function outOfFold(
  rs: SafetyRecord[],
  r: Recipe,
  k = 5,
  extra: SafetyRecord[] = [],
  groupOf: (r: SafetyRecord) => string = (r) => (r as { group?: string }).group ?? r.id,
): Record<string, number>[] {
  const out: Record<string, number>[] = new Array(rs.length);
  for (let f = 0; f < k; f++) {
    const fold = (i: number): boolean => fnv(groupOf(rs[i]!), SEED + 1) % k === f;
    const art = fitOn([...rs.filter((_, i) => !fold(i)), ...extra], r);
    const m = loadModel(art);
    rs.forEach((x, i) => {
      if (!fold(i)) return;
      const toks = tokenize(x.text);
      const s = catScores(m.predict(toks));
      // the most telling single sentence, per category ("max:self_harm")
      // the sentences the engine weighs (engine/src/safety.ts): only those with words
      for (const sent of sentencesOf(toks)
        .map(([a, b]) => toks.slice(a, b))
        .filter((x) => x.some((t) => t.kind === 'word'))) {
        const ss = catScores(m.predict(sent));
        for (const c of CATEGORIES) s[`max:${c}`] = Math.max(s[`max:${c}`] ?? 0, ss[c]!);
      }
      out[i] = s;
    });
  }
  return out;
}

function catScores(p: ArrayLike<number>): Record<string, number> {
  const s: Record<string, number> = {};
  SAFETY_CLASSES.forEach((c, j) => {
    const cat = c.split(':')[0]!;
    s[cat] = (s[cat] ?? 0) + p[j]!;
  });
  return s;
}

/**
 * Per category, the lowest threshold whose false alarms on the negatives (out of fold, and not already
 * flagged by the rules) stay within `budget` of them: the model adds recall, the rules keep precision.
 */
/** Out-of-fold false alarms allowed per category, as a share of the negatives: chosen on dev (scripts/safety-dev.ts --sweep). */
export const SAFETY_BUDGET = 0.008;

export function tuneThresholds(
  rs: SafetyRecord[],
  oof: Record<string, number>[],
  budget = SAFETY_BUDGET,
): Record<string, number> {
  const negatives = rs
    .map((r, i) => ({ r, i }))
    .filter(({ r }) => r.label === 'none' && !hear(r.text, { models: false }).safety);
  const th: Record<string, number> = {};
  for (const c of CATEGORIES) {
    const scores = negatives.map(({ i }) => oof[i]![c]!).sort((a, b) => b - a);
    const allowed = Math.floor(budget * rs.filter((r) => r.label === 'none').length);
    // just above the (allowed+1)-th highest negative score, and never below 0.15
    const t = Math.max(0.15, (scores[allowed] ?? 0) + 1e-3);
    th[c] = Math.round(Math.min(0.99, t) * 1000) / 1000;
  }
  return th;
}

/**
 * Ordinary pain between people, as training negatives only: every line the other person says in the
 * practice scenarios (packages/practice/data), written by the project. Complaints, labels and "you never…"
 * are the lens's everyday input; without them the model took "you" for control.
 */
export function practiceNegatives(
  dir = new URL('../../practice/data/', import.meta.url).pathname,
): SafetyRecord[] {
  const says: string[] = [];
  const walk = (v: unknown): void => {
    if (Array.isArray(v)) v.forEach(walk);
    else if (v && typeof v === 'object')
      for (const [k, x] of Object.entries(v)) k === 'say' && typeof x === 'string' ? says.push(x) : walk(x);
  };
  for (const f of readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .sort())
    walk(JSON.parse(readFileSync(join(dir, f), 'utf8')));
  return [...new Set(says)].map((text, i) => ({
    id: `practice-${i}`,
    text,
    label: 'none',
    level: null,
    style: 'spoken',
    kind: 'practice',
  }));
}

/**
 * The training part of the message corpus (corpus/messages, never its frozen test): everyday pain between
 * people who care about each other, as further negatives. Nothing in it is a safety event by its guideline.
 */
export function messageNegatives(): SafetyRecord[] {
  return messageSplit().train.map((r) => ({
    id: `message-${r.id}`,
    text: r.text,
    label: 'none',
    level: null,
    style: r.style,
    kind: 'message',
  }));
}

export const SAFETY_CARD = {
  data: "Steady's own safety corpus (corpus/safety): messages written one by one by several authors as people write them (text, spoken, email, forum), labelled by the taxonomy in docs/safety.md; the frozen 20% test split is never trained or tuned on. Every line said in the practice scenarios (packages/practice/data) is added as a negative: ordinary pain and complaint between people.",
  licence: "The project's own text (MIT, with the code).",
  intended:
    "Recall for hear's safety flag beside the reviewed rules: phrasings no rule names. A flag means safety guidance comes first; it never diagnoses.",
  limits:
    'English; written by the project, not collected from people at risk; cssrs-reddit (real posts) shows how far it carries (docs/eval/safety.md). Hard negatives are figures of speech, negations, fiction, jokes and ordinary pain; other look-alikes may still raise false alarms.',
};

/**
 * Per safety rule, the share of its flags on the training part that were right (the rules alone): the
 * engine asks the model's lean of a rule below RULE_GATE.trustFrom. Rules that fired fewer than
 * TRUST_MIN_FLAGS times are left out (trusted).
 */
export const TRUST_MIN_FLAGS = 10;
export function ruleTrustOf(rs: SafetyRecord[]): Record<string, number> {
  const k = knowledge();
  const st: Record<string, [number, number]> = {};
  for (const r of rs) {
    const s = hear(r.text, { models: false }).safety;
    if (!s) continue;
    const names = new Set(
      k.safety
        .match(tokenize(r.text))
        .filter((h) => h.rule.id === s.id)
        .map((h) => h.rule.name),
    );
    for (const n of names) {
      st[n] ??= [0, 0];
      st[n]![0]++;
      if (r.label === s.id) st[n]![1]++;
    }
  }
  // a precision from a handful of flags is noise: a rule with fewer than TRUST_MIN_FLAGS stays trusted
  return Object.fromEntries(
    Object.entries(st)
      .filter(([, [all]]) => all >= TRUST_MIN_FLAGS)
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([n, [all, right]]) => [n, Math.round((right / all) * 1000) / 1000]),
  );
}

export function fitSafety(
  tick?: Tick,
  r = SAFETY_RECIPE,
): { art: ModelArtifact; thresholds: Record<string, number> } {
  const { train: rs } = safetySplit();
  // a flag needs the message and its most telling sentence to agree: the smaller of the two is the score
  const extra = [...practiceNegatives(), ...messageNegatives()];
  const oof = outOfFold(rs, r, 5, extra).map((s) =>
    Object.fromEntries(CATEGORIES.map((c) => [c, Math.min(s[c]!, s[`max:${c}`]!)])),
  );
  const thresholds = tuneThresholds(rs, oof);
  const art = fitOn([...rs, ...extra], r, tick);
  art.trust = ruleTrustOf(rs);
  art.groups = Object.fromEntries(
    CATEGORIES.map((c) => [
      c,
      { classes: SAFETY_CLASSES.filter((x) => x.startsWith(`${c}:`)), threshold: thresholds[c]! },
    ]),
  );
  return { art, thresholds };
}

// ---------- evaluation ----------

export interface SafetyEval {
  n: number;
  perCategory: {
    id: string;
    support: number;
    recall: number;
    precision: number;
    urgentRecall: number;
    urgentSupport: number;
  }[];
  levelAccuracy: number;
  hardNegatives: {
    n: number;
    falseAlarms: number;
    rate: number;
    byKind: Record<string, { n: number; flagged: number }>;
  };
  byStyle: Record<string, { positives: number; found: number }>;
  rulesOnly: { recall: number; falseAlarmRate: number };
  misses: { id: string; text: string; label: string }[];
  falseAlarms: { id: string; text: string; flagged: string }[];
}

/** hear on the frozen test split: recall, precision and false alarms, per category and level. */
export function evalSafetyCorpus(): SafetyEval {
  const { test } = safetySplit();
  const rows = test.map((r) => ({
    r,
    s: hear(r.text).safety,
    rules: hear(r.text, { models: false }).safety,
  }));
  const perCategory = CATEGORIES.map((c) => {
    const gold = rows.filter((x) => x.r.label === c);
    const tp = gold.filter((x) => x.s?.id === c).length;
    const fp = rows.filter((x) => x.r.label !== c && x.s?.id === c).length;
    const urgent = gold.filter((x) => x.r.level === 'urgent');
    const f = f1Of(tp, fp, gold.length - tp);
    return {
      id: c,
      support: gold.length,
      recall: f.recall,
      precision: f.precision,
      urgentSupport: urgent.length,
      urgentRecall: urgent.length ? urgent.filter((x) => x.s?.id === c).length / urgent.length : 0,
    };
  });
  const found = rows.filter((x) => x.r.label !== 'none' && x.s);
  const levelAccuracy = found.length
    ? found.filter((x) => x.s!.level === x.r.level).length / found.length
    : 0;
  const negs = rows.filter((x) => x.r.label === 'none');
  const byKind: Record<string, { n: number; flagged: number }> = {};
  for (const x of negs) {
    const k = (byKind[x.r.kind ?? 'other'] ??= { n: 0, flagged: 0 });
    k.n++;
    if (x.s) k.flagged++;
  }
  const byStyle: Record<string, { positives: number; found: number }> = {};
  for (const x of rows.filter((x) => x.r.label !== 'none')) {
    const s = (byStyle[x.r.style] ??= { positives: 0, found: 0 });
    s.positives++;
    if (x.s) s.found++;
  }
  const pos = rows.filter((x) => x.r.label !== 'none');
  const fa = negs.filter((x) => x.s).length;
  return {
    n: rows.length,
    perCategory,
    levelAccuracy,
    hardNegatives: { n: negs.length, falseAlarms: fa, rate: negs.length ? fa / negs.length : 0, byKind },
    byStyle,
    rulesOnly: {
      recall: pos.filter((x) => x.rules).length / Math.max(1, pos.length),
      falseAlarmRate: negs.filter((x) => x.rules).length / Math.max(1, negs.length),
    },
    misses: rows
      .filter((x) => x.r.label !== 'none' && x.s?.id !== x.r.label)
      .map((x) => ({ id: x.r.id, text: x.r.text, label: classOf(x.r) })),
    falseAlarms: negs.filter((x) => x.s).map((x) => ({ id: x.r.id, text: x.r.text, flagged: x.s!.id })),
  };
}

interface Cssrs {
  id: string;
  text: string;
  label: string | null;
}
/** cssrs-reddit, post level: how many ideation, behavior and attempt posts are flagged, and supportive ones. */
export function evalCssrs(dir: string, split: 'dev' | 'test' = 'test') {
  const posts = readJsonl<Cssrs>(join(dir, 'cssrs-reddit', `${split}.jsonl`)).filter((p) => p.label);
  const by: Record<string, { n: number; flagged: number; selfHarm: number }> = {};
  for (const p of posts) {
    const s = hear(p.text).safety;
    const b = (by[p.label!] ??= { n: 0, flagged: 0, selfHarm: 0 });
    b.n++;
    if (s) b.flagged++;
    if (s?.id === 'self_harm') b.selfHarm++;
  }
  const risk = ['ideation', 'behavior', 'attempt'].map((l) => by[l] ?? { n: 0, flagged: 0, selfHarm: 0 });
  const n = risk.reduce((a, b) => a + b.n, 0);
  return {
    split,
    byLabel: by,
    riskRecall: n ? risk.reduce((a, b) => a + b.selfHarm, 0) / n : 0,
    riskN: n,
    supportiveFlagRate: by.supportive ? by.supportive.flagged / by.supportive.n : 0,
  };
}

interface Manip {
  id: string;
  turns: { speaker: string; text: string }[];
  manipulative: number;
  techniques: string[];
}
/** mentalmanip: a dialogue counts as found when any of its turns raises violence or control. */
export function evalMentalmanip(dir: string, split: 'dev' | 'test' = 'test') {
  const ds = readJsonl<Manip>(join(dir, 'mentalmanip', `${split}.jsonl`));
  const flagged = (d: Manip): boolean =>
    d.turns.some((t) => t.text.trim() && ['violence', 'control'].includes(hear(t.text).safety?.id ?? ''));
  const intim = ds.filter((d) => d.techniques.includes('Intimidation'));
  const clean = ds.filter((d) => !d.manipulative);
  return {
    intimidation: { n: intim.length, recall: intim.filter(flagged).length / Math.max(1, intim.length) },
    notManipulative: { n: clean.length, flagRate: clean.filter(flagged).length / Math.max(1, clean.length) },
  };
}

/** Cohen's kappa between two label lists. */
export function kappa(a: string[], b: string[]): number {
  const n = a.length;
  if (n === 0) return 0;
  const cats = [...new Set([...a, ...b])];
  const po = a.filter((x, i) => x === b[i]).length / n;
  const pe = cats.reduce(
    (s, c) => s + (a.filter((x) => x === c).length / n) * (b.filter((x) => x === c).length / n),
    0,
  );
  return pe === 1 ? 1 : (po - pe) / (1 - pe);
}

/**
 * Agreement with a second annotator who labelled a stratified sample blind (corpus/safety/agreement):
 * category (four-way), and level on the positives both call the same category.
 */
export function agreement(dir = SAFETY_CORPUS) {
  // second.jsonl was labelled from ids that named the label (the annotator said so): only second-2.jsonl,
  // labelled from neutral ids, is an independent reading
  const file = join(dir, 'agreement', 'second-2.jsonl');
  if (!existsSync(file)) return null;
  const gold = new Map(readSafetyCorpus(dir).map((r) => [r.id, r]));
  type Reading = { label: string; level: string | null };
  // second-2.jsonl keeps the second reading under `second`
  const pairs = readJsonl<{ id: string; second?: Reading } & Partial<Reading>>(file)
    .map((s) => ({ s: s.second ?? { label: s.label!, level: s.level ?? null }, g: gold.get(s.id) }))
    .filter((x) => x.g);
  const a = pairs.map((x) => x.g!.label as string);
  const b = pairs.map((x) => x.s.label);
  const pos = pairs.filter((x) => x.g!.label !== 'none' && x.g!.label === x.s.label);
  return {
    n: pairs.length,
    labelAgreement: pairs.length ? a.filter((x, i) => x === b[i]).length / pairs.length : 0,
    labelKappa: kappa(a, b),
    levelN: pos.length,
    levelKappa: kappa(
      pos.map((x) => x.g!.level ?? ''),
      pos.map((x) => x.s.level ?? ''),
    ),
  };
}

/**
 * cssrs-reddit's post labels come from who wrote them as much as from what a post says: many "ideation"
 * posts are replies comforting someone else. A blind reader marked, on a dev sample, whether the writer
 * expresses risk of their own (corpus/safety/agreement/cssrs-dev-reading.jsonl: ids and judgements only).
 * Recall on the posts that do is what a reader of the words can be asked for.
 */
export function evalCssrsReading(dir: string, corpus = SAFETY_CORPUS) {
  const file = join(corpus, 'agreement', 'cssrs-dev-reading.jsonl');
  if (!existsSync(file)) return null;
  const reading = readJsonl<{ id: string; label: string; own_risk: string }>(file);
  const texts = new Map(readJsonl<Cssrs>(join(dir, 'cssrs-reddit', 'dev.jsonl')).map((p) => [p.id, p.text]));
  const risky = reading.filter((r) => ['ideation', 'behavior', 'attempt'].includes(r.label));
  const expressed = reading.filter((r) => r.own_risk === 'yes');
  const quiet = reading.filter((r) => r.own_risk === 'no');
  const flagged = (r: { id: string }): boolean => hear(texts.get(r.id) ?? ' x').safety?.id === 'self_harm';
  return {
    sample: reading.length,
    riskPosts: risky.length,
    riskPostsExpressingRisk: risky.filter((r) => r.own_risk === 'yes').length,
    recallOnExpressed: expressed.length ? expressed.filter(flagged).length / expressed.length : 0,
    expressed: expressed.length,
    flaggedWhenNotExpressed: quiet.length ? quiet.filter(flagged).length / quiet.length : 0,
    notExpressed: quiet.length,
  };
}
