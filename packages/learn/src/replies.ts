// The move task: the project's own reply corpus (corpus/replies, docs/check.md), a frozen stratified test
// split, a multi-label sentence model of moves (models/moves.json) trained on the rest with thresholds
// chosen by cross-validation, and its evaluation on the frozen test.

import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  check,
  fnv,
  hear,
  loadModel,
  moveFeatures,
  relatedSentences,
  relationHits,
  sentencesOf,
  tokenize,
  DEFENSIVE_IDS,
  STEADY_IDS,
  type FeatureSpec,
  type ModelArtifact,
  type MoveId,
  type Token,
} from '@steady/engine';
import { readJsonl } from './data.js';
import { bestThreshold, f1Of } from './metrics.js';
import { freezeFiles, frozenSplit, readCorpus } from './split.js';
import type { Example } from './trainer.js';
import { fitRecipe, SEED, type Recipe, type Tick } from './tasks.js';

export const MOVE_IDS: MoveId[] = [...DEFENSIVE_IDS, ...STEADY_IDS];
const DEFENSIVE = new Set<string>(DEFENSIVE_IDS);

export interface ReplyRecord {
  id: string;
  to: string;
  reply: string;
  moves: { id: MoveId; text: string }[];
  label: 'defensive' | 'steady' | 'flat';
  style: string;
  relationship?: string;
  explicit?: string;
  /** GoEmotions comments carry their source id and no `to`. */
  source?: string;
}

export const REPLY_CORPUS = new URL('../../../corpus/replies/', import.meta.url).pathname;

export function readReplyCorpus(dir = REPLY_CORPUS): ReplyRecord[] {
  return readCorpus<ReplyRecord>(dir, 'reply corpus', (r) => {
    if (typeof r.reply !== 'string' || !r.reply.trim()) return 'empty reply';
    for (const m of r.moves ?? []) {
      if (!MOVE_IDS.includes(m.id)) return `unknown move ${m.id}`;
      if (!r.reply.includes(m.text)) return `"${m.text}" is not in the reply`;
    }
    return undefined;
  }).map((r) => ({ ...r, to: r.to ?? '', moves: r.moves ?? [] }));
}

export const replyLabel = (r: ReplyRecord): 'defensive' | 'steady' | 'flat' =>
  r.moves.some((m) => DEFENSIVE.has(m.id)) ? 'defensive' : r.moves.length ? 'steady' : 'flat';
const stratum = (r: ReplyRecord): string =>
  `${replyLabel(r)}|${r.style}|${r.moves.find((m) => DEFENSIVE.has(m.id))?.id ?? r.moves[0]?.id ?? 'none'}`;

export function freezeReplySplit(records: ReplyRecord[], dir = REPLY_CORPUS): string[] {
  return freezeFiles(records, dir, stratum, 'the reply corpus');
}

export function replySplit(dir = REPLY_CORPUS): { train: ReplyRecord[]; test: ReplyRecord[] } {
  return frozenSplit(readReplyCorpus(dir), dir);
}

/** Chosen on dev (5-fold cross-validation of the training part): see MOVES_METHOD in docs/eval/moves.md. */
export const MOVES_RECIPE: Recipe = {
  spec: { bits: 18, bigrams: true, chars: null, concepts: 'moves', stems: true },
  epochs: 10,
  lr: 0.2,
  l2: 0.001,
  balance: 0.5,
  keep: 9000,
};

export interface Prepared {
  r: ReplyRecord;
  /** A whole-reply label given directly (practice replies), when the moves are not marked. */
  label?: 'defensive' | 'steady' | 'flat';
  toks: Token[];
  sentences: [number, number][];
  /** Per sentence, the gold moves whose words fall in it. */
  gold: Set<MoveId>[];
  ctx: Parameters<typeof moveFeatures>[3];
}

/** Tokenize once; map each labelled move's words onto the sentences they fall in. */
export function prepare(r: ReplyRecord, label?: Prepared['label']): Prepared {
  const toks = tokenize(r.reply);
  const sentences = sentencesOf(toks);
  const gold = sentences.map(() => new Set<MoveId>());
  for (const m of r.moves) {
    const at = r.reply.indexOf(m.text);
    const end = at + m.text.length;
    sentences.forEach(([a, b], k) => {
      const s = toks[a]!.start;
      const e = toks[b - 1]!.end;
      if (s < end && e > at) gold[k]!.add(m.id);
    });
  }
  const toReading = r.to ? hear(r.to, { models: false }) : undefined;
  // the same context check builds: the message's tokens and cues, and the sentences the relation rules read as disputing
  const toToks = r.to ? tokenize(r.to) : [];
  const related = r.to
    ? relatedSentences(
        toks,
        relationHits(toks, toToks, toReading!.cues).map((h) => ({ rule: h.rule.name, start: h.start })),
      )
    : undefined;
  const ctx = r.to ? { toToks, toCues: toReading!.cues, related } : {};
  return { r, toks, sentences, gold, ctx, ...(label ? { label } : {}) };
}

function examplesOf(ps: Prepared[], spec: FeatureSpec): Example[] {
  const out: Example[] = [];
  for (const p of ps)
    p.sentences.forEach((range, k) =>
      out.push({
        ids: moveFeatures(p.toks, range, spec, p.ctx),
        y: [...p.gold[k]!].map((id) => MOVE_IDS.indexOf(id)),
      }),
    );
  return out;
}

function fitOn(ps: Prepared[], r: Recipe, tick?: Tick): ModelArtifact {
  return fitRecipe('moves', MOVE_IDS, examplesOf(ps, r.spec), r, { multiLabel: true, tick });
}

/** Per record and sentence, the probability of each move from a model that never saw the record. */
/** The writer's file a reply came from ("r7-0001" -> "r7"): folds by writer estimate a writer not yet seen. */
export const writerOfReply = (p: Prepared): string => p.r.id.slice(0, p.r.id.lastIndexOf('-'));

export function movesOutOfFold(
  ps: Prepared[],
  r: Recipe = MOVES_RECIPE,
  k = 5,
  groupOf: (p: Prepared) => string = (p) => p.r.id,
): Float64Array[][] {
  const out: Float64Array[][] = new Array(ps.length);
  for (let f = 0; f < k; f++) {
    const fold = (i: number): boolean => fnv(groupOf(ps[i]!), SEED + 7) % k === f;
    const m = loadModel(
      fitOn(
        ps.filter((_, i) => !fold(i)),
        r,
      ),
    );
    ps.forEach((p, i) => {
      if (fold(i))
        out[i] = p.sentences.map((range) => m.predictIds(moveFeatures(p.toks, range, r.spec, p.ctx)));
    });
  }
  return out;
}

export const REPLY_CLASSES = ['defensive', 'steady', 'flat'];
export const REPLY_RECIPE: Recipe = { ...MOVES_RECIPE, l2: 0.0001, epochs: 15, keep: 20000 };

/**
 * The practice library's model replies (packages/practice/data), each with the line it answers: replies
 * written to be steady, as training examples for the reply head only (their moves are not marked).
 */
export function practiceReplies(dir = new URL('../../practice/data/', import.meta.url).pathname): Prepared[] {
  const out: Prepared[] = [];
  for (const f of readdirSync(dir)
    .filter((f) => f.endsWith('.json') && f !== 'repair.json')
    .sort()) {
    const scenarios = JSON.parse(readFileSync(join(dir, f), 'utf8')) as {
      id: string;
      opening: { say: string; model: string };
      turns: { steady: { say: string; model: string }; defensive: { say: string; model: string } }[];
    }[];
    for (const sc of scenarios) {
      const pairs = [sc.opening, ...sc.turns.flatMap((t) => [t.steady, t.defensive])];
      pairs.forEach((pr, k) =>
        out.push(
          prepare(
            {
              id: `practice-${sc.id}-${k}`,
              to: pr.say,
              reply: pr.model,
              moves: [],
              label: 'steady',
              style: 'spoken',
            },
            'steady',
          ),
        ),
      );
    }
  }
  return out;
}

/** The whole reply as one example: its words, the message answered, and the relations, for a reply-level head. */
const wholeOf = (p: Prepared, spec: FeatureSpec): Uint32Array =>
  moveFeatures(p.toks, [0, p.toks.length], spec, p.ctx);

function fitReplyOn(ps: Prepared[], r: Recipe, tick?: Tick): ModelArtifact {
  const ex = ps.map((p) => ({
    ids: wholeOf(p, r.spec),
    y: [REPLY_CLASSES.indexOf(p.label ?? replyLabel(p.r))],
  }));
  return fitRecipe('reply', REPLY_CLASSES, ex, r, { tick });
}

/** P(defensive) per record from a reply-level model that never saw it (the same folds as the moves). */
export function replyOutOfFold(
  ps: Prepared[],
  r: Recipe = REPLY_RECIPE,
  k = 5,
  extra: Prepared[] = [],
  groupOf: (p: Prepared) => string = (p) => p.r.id,
): number[] {
  const out = new Array<number>(ps.length);
  for (let f = 0; f < k; f++) {
    const fold = (i: number): boolean => fnv(groupOf(ps[i]!), SEED + 7) % k === f;
    const m = loadModel(fitReplyOn([...ps.filter((_, i) => !fold(i)), ...extra], r));
    ps.forEach((p, i) => {
      if (fold(i)) out[i] = m.predictIds(wholeOf(p, r.spec))[0]!;
    });
  }
  return out;
}

/** Per move, the sentence-level threshold with the best F1 out of fold (never below 0.3: the model adds only what it is fairly sure of; 0.2 gave 0.62 precision on dev, 0.3 gave 0.67 at the same accuracy). */
export function moveThresholds(ps: Prepared[], oof: Float64Array[][]): number[] {
  return MOVE_IDS.map((id, c) => {
    const scores: number[] = [];
    const truth: boolean[] = [];
    ps.forEach((p, i) =>
      p.sentences.forEach((_, k) => {
        scores.push(oof[i]![k]![c]!);
        truth.push(p.gold[k]!.has(id));
      }),
    );
    return Math.round(Math.max(0.3, bestThreshold(scores, truth)) * 1000) / 1000;
  });
}

export const MOVES_CARD = {
  data: "Steady's own reply corpus (corpus/replies): replies written one by one by several authors, each with the message it answers, labelled with every move and its words by the guideline in docs/check.md; the frozen 20% test split is never trained or tuned on.",
  licence: "The project's own text (MIT, with the code).",
  intended:
    "check's moves beside the rules: for each sentence of a reply, the defensive and steady moves it makes, from its words, its word classes and how it answers the message.",
  limits:
    "English; written by the project, so its phrasing is wider than one person's but narrower than everyone's. The outside evaluation and docs/eval/moves.md say how far it carries.",
};

/** The sentence model of moves and the reply-level head, both trained on the training part. */
export function fitMoves(tick?: Tick, r = MOVES_RECIPE): { moves: ModelArtifact; reply: ModelArtifact } {
  const ps = replySplit().train.map((r) => prepare(r));
  const th = moveThresholds(ps, movesOutOfFold(ps, r));
  const moves = fitOn(ps, r, tick);
  moves.thresholds = th;
  const reply = fitReplyOn([...ps, ...practiceReplies()], REPLY_RECIPE, tick);
  reply.trust = ruleTrust(ps);
  return { moves, reply };
}

/**
 * Per rule, the share of its defensive findings on the training part that fell in a reply the annotators
 * also read as defensive: the question the reply head is asked.
 */
export function ruleTrust(ps: Prepared[]): Record<string, number> {
  const n = new Map<string, { hit: number; ok: number }>();
  for (const p of ps) {
    const defensive = replyLabel(p.r) === 'defensive';
    for (const m of check(p.r.reply, { to: p.r.to || undefined, models: false }).moves) {
      if (m.kind !== 'defensive' || !m.rule) continue;
      const k = n.get(m.rule) ?? { hit: 0, ok: 0 };
      k.hit++;
      if (defensive) k.ok++;
      n.set(m.rule, k);
    }
  }
  return Object.fromEntries(
    [...n]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([rule, k]) => [rule, Math.round(((k.ok + 1) / (k.hit + 2)) * 1000) / 1000]),
  );
}

// ---------- evaluation ----------

export function evalMovesCorpus() {
  const test = replySplit().test;
  const counts = new Map<MoveId, { tp: number; fp: number; fn: number }>(
    MOVE_IDS.map((id) => [id, { tp: 0, fp: 0, fn: 0 }]),
  );
  const rulesOnly = new Map<MoveId, { tp: number; fp: number; fn: number }>(
    MOVE_IDS.map((id) => [id, { tp: 0, fp: 0, fn: 0 }]),
  );
  let correct = 0;
  let correctRules = 0;
  const scored: { steadiness: number; steady: boolean }[] = [];
  for (const r of test) {
    const gold = new Set(r.moves.map((m) => m.id));
    const goldDefensive = [...gold].some((id) => DEFENSIVE.has(id));
    for (const [models, acc] of [
      [true, counts],
      [false, rulesOnly],
    ] as const) {
      const c = check(r.reply, { to: r.to || undefined, models });
      const found = new Set(c.moves.map((m) => m.id));
      for (const id of MOVE_IDS) {
        const k = acc.get(id)!;
        if (found.has(id)) gold.has(id) ? k.tp++ : k.fp++;
        else if (gold.has(id)) k.fn++;
      }
      const saysDefensive = c.moves.some((m) => m.kind === 'defensive');
      if (models) {
        if (saysDefensive === goldDefensive) correct++;
        scored.push({ steadiness: c.steadiness, steady: replyLabel(r) === 'steady' });
      } else if (saysDefensive === goldDefensive) correctRules++;
    }
  }
  const per = (acc: typeof counts) =>
    MOVE_IDS.map((id) => ({
      id,
      support: acc.get(id)!.tp + acc.get(id)!.fn,
      ...f1Of(acc.get(id)!.tp, acc.get(id)!.fp, acc.get(id)!.fn),
    }));
  const micro = (acc: typeof counts) => {
    let tp = 0,
      fp = 0,
      fn = 0;
    for (const k of acc.values()) {
      tp += k.tp;
      fp += k.fp;
      fn += k.fn;
    }
    return f1Of(tp, fp, fn);
  };
  const defensiveShare = test.filter((r) => replyLabel(r) === 'defensive').length / Math.max(1, test.length);
  return {
    n: test.length,
    perMove: per(counts),
    microF1: micro(counts).f1,
    accuracy: correct / Math.max(1, test.length),
    rulesOnly: { microF1: micro(rulesOnly).f1, accuracy: correctRules / Math.max(1, test.length) },
    majority: Math.max(defensiveShare, 1 - defensiveShare),
    steadinessAuc: auc(
      scored.map((s) => s.steadiness),
      scored.map((s) => s.steady),
    ),
  };
}

/** Area under the ROC curve: the chance a steady reply outscores a non-steady one (ties count half). */
export function auc(scores: number[], positive: boolean[]): number {
  const pos = scores.filter((_, i) => positive[i]);
  const neg = scores.filter((_, i) => !positive[i]);
  if (!pos.length || !neg.length) return 0;
  const sortedNeg = [...neg].sort((a, b) => a - b);
  let sum = 0;
  for (const p of pos) {
    let lo = 0,
      hi = sortedNeg.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (sortedNeg[mid]! < p) lo = mid + 1;
      else hi = mid;
    }
    let eq = lo;
    while (eq < sortedNeg.length && sortedNeg[eq] === p) eq++;
    sum += lo + (eq - lo) / 2;
  }
  return sum / (pos.length * neg.length);
}

/**
 * A second annotator's blind reading of a sample (corpus/replies/agreement/second.jsonl, labelled under
 * neutral ids from docs/check.md alone): the agreement a defensive-vs-steady accuracy and a move F1 can be
 * judged against, computed as evalMovesCorpus computes check's (moves as a set per reply, every move id).
 */
export function checkAgreement(dir = REPLY_CORPUS) {
  const file = join(dir, 'agreement', 'second.jsonl');
  if (!existsSync(file)) return null;
  const gold = new Map(readReplyCorpus(dir).map((r) => [r.id, r]));
  const pairs = readJsonl<{ id: string; moves: { id: MoveId }[] }>(file)
    .map((s) => ({ s, g: gold.get(s.id)! }))
    .filter((x) => x.g);
  let same = 0,
    tp = 0,
    fp = 0,
    fn = 0;
  for (const { s, g } of pairs) {
    const a = new Set(g.moves.map((m) => m.id));
    const b = new Set(s.moves.map((m) => m.id));
    if ([...a].some((id) => DEFENSIVE.has(id)) === [...b].some((id) => DEFENSIVE.has(id))) same++;
    for (const id of b) a.has(id) ? tp++ : fp++;
    for (const id of a) if (!b.has(id)) fn++;
  }
  return { n: pairs.length, accuracy: same / Math.max(1, pairs.length), microF1: f1Of(tp, fp, fn).f1 };
}
