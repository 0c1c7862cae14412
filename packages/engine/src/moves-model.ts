// The learned move model (models/moves.json), trained by `steady train --task moves` on the project's reply
// corpus (corpus/replies): for each sentence of a reply, which moves it makes (multi-label). It reads the
// sentence's words and word classes, the message it answers, and how the two relate: a short question
// echoing the complaint's charged word, the complaint's predicate asserted back, a complaint answered with
// a complaint, a reply only about oneself. Rules keep exact spans; a model move spans its sentence.

import { featuresOf, fnv, sortedIds, stemOf, type FeatureSpec } from './model/features.js';
import type { Model, Shared } from './model/linear.js';
import type { Token } from './text.js';

export interface ReplyContext {
  /** The message the reply answers, tokenized, and its blame cues (absolute, label, faux_feeling…). */
  toToks?: Token[];
  /** Computed once per reply and reused for every sentence (moveContext): the reply is read in linear time. */
  toIds?: number[];
  toStems?: Set<string>;
  charged?: Set<string>;
  toCues?: { id: string; text: string }[];
  /** Sentences (by index) a relation rule read as disputing the complaint: relatedSentences(). */
  related?: Set<number>;
  /** Whether the message says "you" (computed by moveContext). */
  toYou?: boolean;
}

const SELF = new Set(['i', "i'm", "i've", "i'd", "i'll", 'me', 'my', 'myself', 'mine']);
const YOU = new Set(['you', "you're", 'your', 'yourself', "you'll", "you'd", "you've", 'yours']);
const ACK = new Set([
  'hear',
  'get',
  'understand',
  'see',
  'know',
  'sorry',
  'right',
  'fair',
  'true',
  'okay',
  'ok',
]);

/** Sentences of a token stream, as index ranges. */
export function sentencesOf(toks: readonly Token[]): [number, number][] {
  const out: [number, number][] = [];
  let from = 0;
  for (let i = 1; i <= toks.length; i++) {
    if (i < toks.length && toks[i]!.sent === toks[from]!.sent) continue;
    out.push([from, i]);
    from = i;
  }
  return out;
}

/** The message's share of the features, computed once for all the sentences of a reply (at most 2,000 tokens of it). */
export function moveContext(ctx: ReplyContext, spec: FeatureSpec): ReplyContext {
  if (!ctx.toToks || ctx.toIds) return ctx;
  const toToks = ctx.toToks.length > MAX_CONTEXT ? ctx.toToks.slice(0, MAX_CONTEXT) : ctx.toToks;
  const toIds = [...featuresOf(toToks, { bits: spec.bits, bigrams: false, chars: null }, 1)];
  const toStems = new Set(
    toToks.filter((t) => t.kind === 'word' && t.norm.length >= 4).map((t) => stemOf(t.norm)),
  );
  const charged = new Set(
    (ctx.toCues ?? []).filter((c) => c.id !== 'you_statement').map((c) => stemOf(c.text.toLowerCase())),
  );
  return { ...ctx, toToks, toIds, toStems, charged, toYou: toToks.some((t) => YOU.has(t.norm)) };
}

/** The relation rules whose findings are a feature of the move model (the same in training and in use). */
export const DISPUTING_RULES = new Set(['contradicts-complaint', 'echo-question']);

/** The sentences that hold a disputing relation finding, for ReplyContext.related. */
export function relatedSentences(
  toks: readonly Token[],
  found: readonly { rule?: string; start: number }[],
): Set<number> {
  const out = new Set<number>();
  for (const f of found) {
    if (!f.rule || !DISPUTING_RULES.has(f.rule)) continue;
    // the token the finding starts at, by binary search: its sentence
    let lo = 0;
    let hi = toks.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (toks[mid]!.start <= f.start) lo = mid;
      else hi = mid - 1;
    }
    if (toks[lo]) out.add(toks[lo]!.sent);
  }
  return out;
}

// the first acknowledgement in a reply, found once per token stream ("I hear you. But…")
const firstAckCache = new WeakMap<readonly Token[], number>();
function firstAck(toks: readonly Token[]): number {
  let at = firstAckCache.get(toks);
  if (at === undefined) {
    at = toks.findIndex((t) => ACK.has(t.norm));
    if (at < 0) at = Infinity;
    firstAckCache.set(toks, at);
  }
  return at;
}

const MAX_CONTEXT = 2000;

/**
 * Feature ids for one sentence of a reply: its own words (namespace 0), the message answered (namespace 1,
 * words only) and relation features (namespace 2).
 */
export function moveFeatures(
  toks: readonly Token[],
  range: [number, number],
  spec: FeatureSpec,
  ctx: ReplyContext = {},
): Uint32Array {
  ctx = moveContext(ctx, spec);
  const set = ownFeatures(toks, range, spec, ctx);
  for (const id of ctx.toIds ?? []) set.add(id);
  return sortedIds(set);
}

/**
 * A model's reading of one sentence, as moveFeatures would give it, with the message's share of the sums
 * computed once per reply and model (the message's ids are the same for every sentence).
 */
export function predictSentence(
  model: Model,
  toks: readonly Token[],
  range: [number, number],
  ctx: ReplyContext,
): Float64Array {
  const spec = model.artifact.spec;
  ctx = moveContext(ctx, spec);
  const own = sortedIds(ownFeatures(toks, range, spec, ctx));
  if (!ctx.toIds?.length) return model.predictIds(own);
  let shared = sharedSums.get(ctx.toIds)?.get(model);
  if (!shared) {
    shared = model.share(ctx.toIds);
    let byModel = sharedSums.get(ctx.toIds);
    if (!byModel) sharedSums.set(ctx.toIds, (byModel = new Map()));
    byModel.set(model, shared);
  }
  return model.predictWith(own, shared);
}
// per message (its ids array, made once per reply by moveContext) and model
const sharedSums = new WeakMap<number[], Map<Model, Shared>>();

/** A sentence's own features and its relation to the message: all but the message's words. */
function ownFeatures(
  toks: readonly Token[],
  range: [number, number],
  spec: FeatureSpec,
  ctx: ReplyContext,
): Set<number> {
  const [from, to] = range;
  const sent = toks.slice(from, to);
  const set = featuresOf(sent, spec);
  const mask = spec.bits >= 32 ? 0xffffffff : (1 << spec.bits) - 1;
  const seed = (0x811c9dc5 ^ Math.imul(3, 0x9e3779b1)) >>> 0;
  const add = (s: string): void => {
    set.add(fnv(s, seed) & mask);
  };
  const words = sent.filter((t) => t.kind === 'word');
  const last = sent[sent.length - 1];
  const question = last?.norm === '?';
  if (question) add('question');
  if (words.length <= 3) add('short');
  if (words.length <= 3 && question) add('short question');
  add(from === 0 ? 'first sentence' : 'later sentence');
  if (to === toks.length) add('last sentence');
  const self = words.some((t) => SELF.has(t.norm));
  const you = words.some((t) => YOU.has(t.norm));
  if (self && !you) add('only self');
  if (you && !self) add('only you');
  // an acknowledgement earlier in the reply, then this sentence: "I hear you. But..."
  if (firstAck(toks) < from) add('after ack');
  if (words[0]?.norm === 'but' || words[0]?.norm === 'though') add('starts but');
  if (ctx.toToks?.length) {
    const toWords = ctx.toStems!;
    const echoed = words.filter((t) => t.norm.length >= 4 && toWords.has(stemOf(t.norm))).length;
    if (echoed) add(question ? 'echo question' : 'echo');
    const charged = ctx.charged!;
    if (words.some((t) => charged.has(stemOf(t.norm))))
      add(question ? 'charged echo question' : 'charged echo');
    if (ctx.toYou && you) add('complaint answered with you');
    for (const c of ctx.toCues ?? []) add(`to cue ${c.id}`);
    if (ctx.toToks[ctx.toToks.length - 1]?.norm === '?') add('to question');
  }
  if (sent[0] && ctx.related?.has(sent[0].sent)) add('disputes complaint');
  return set;
}
