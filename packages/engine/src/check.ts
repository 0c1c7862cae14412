// The reply lens: the defensive and steady moves in a draft, a steadiness score, and a way back.

import { data, knowledge, moveInfo } from './knowledge.js';
import { heatOf } from './heat.js';
import { buildReplies } from './hear.js';
import { read } from './reading.js';
import { tokenize, type Token } from './text.js';
import { movesModel, replyModel, withModels } from './model/registry.js';
import {
  moveContext,
  predictSentence,
  relatedSentences,
  sentencesOf,
  type ReplyContext,
} from './moves-model.js';
import { MAX_CONTEXT, type CheckOptions, type CheckResult, type Move, type MoveId } from './types.js';
import { hash, readText, round2 } from './util.js';
import { stemOf } from './model/features.js';
import { requestOf } from './event.js';
import type { RuleSpec } from './rules.js';

const _BASE = 50;

/** The end of the message, at most MAX_CONTEXT characters, never starting inside a surrogate pair. */
function lastPart(to: string): string {
  if (to.length <= MAX_CONTEXT) return to;
  let from = to.length - MAX_CONTEXT;
  const c = to.charCodeAt(from);
  if (c >= 0xdc00 && c <= 0xdfff) from++;
  return to.slice(from);
}

export function check(input: string, opts: CheckOptions = {}): CheckResult {
  const text = readText(input, 'reply');
  const to = opts.to === undefined || opts.to === null ? undefined : lastPart(readText(opts.to, 'to'));
  const toks = tokenize(text);
  const ignore = new Set(opts.ignore ?? []);
  const allHits = knowledge().moves.match(toks);
  const hits = allHits.filter((h) => !ignore.has(h.rule.id) && !ignore.has(h.rule.name));
  // a defensive move the person chose to silence is not to be found again by the whole-reply head
  const silenced = allHits.length !== hits.length;

  // read once, by the rules alone: its cues, event, feelings and heat set the pause and shape the suggestion;
  // the models' reading of the message would cost more than the reply's own and change neither much
  const toReading = to ? read(to, { models: false }) : undefined;
  const related = toReading
    ? relationHits(toks, toReading.toks, toReading.cues).filter(
        (h) => !ignore.has(h.rule.id) && !ignore.has(h.rule.name),
      )
    : [];
  const defensive = mergeRepeats(
    [...hits, ...related].filter((h) => moveInfo[h.rule.id as MoveId]?.kind === 'defensive'),
    toks,
  );
  // A steady phrase is cancelled by a defensive move in its own sentence ("I hear you, but...", "sorry you
  // feel", "I'm right here" said back to "you're not really here", a question that pushes back).
  const defensiveSentences = new Set(defensive.map((h) => toks[h.from]!.sent));
  const steady = [...hits, ...related].filter(
    (h) => moveInfo[h.rule.id as MoveId]?.kind === 'steady' && !defensiveSentences.has(toks[h.from]!.sent),
  );
  const moves: Move[] = [...defensive, ...steady]
    .sort((a, b) => a.start - b.start || a.end - b.end)
    .map((h) => {
      const id = h.rule.id as MoveId;
      const info = moveInfo[id];
      const m: Move = {
        id,
        kind: info.kind,
        start: h.start,
        end: h.end,
        text: text.slice(h.start, h.end),
        by: 'rule',
        label: info.label,
        rule: h.rule.name,
      };
      if (info.kind === 'defensive') {
        m.why = h.rule.why ?? info.why ?? '';
        m.instead = h.rule.instead ?? info.instead ?? '';
      }
      return m;
    });

  // the whole-reply head's reading (defensive, steady, flat), when the models run
  let head: Float64Array | undefined;
  if (withModels(opts) && toks.length) {
    const ctx = moveContext(
      {
        toToks: toReading?.toks,
        toCues: toReading?.cues,
        related: relatedSentences(
          toks,
          related.map((h) => ({ rule: h.rule.name, start: h.start })),
        ),
      },
      movesModel().artifact.spec,
    );
    // the rules are the more precise reader: a model's defensive move does not overrule a steady move a rule
    // found in the same sentence ("You're not overreacting." is validation, whatever the words around it)
    const ruledSteady = new Set(
      moves.filter((m) => m.kind === 'steady').map((m) => sentenceOf(toks, m.start)),
    );
    const learned = modelMoves(text, toks, ctx, moves, ignore).filter(
      (m) => m.kind === 'steady' || !ruledSteady.has(sentenceOf(toks, m.start)),
    );
    moves.push(...learned);
    head = reconcile(text, toks, ctx, moves, ignore, silenced);
    // a steady move does not survive a defensive one in its sentence
    const hot = new Set(moves.filter((m) => m.kind === 'defensive').map((m) => sentenceOf(toks, m.start)));
    const kept = moves.filter((m) => m.kind === 'defensive' || !hot.has(sentenceOf(toks, m.start)));
    moves.length = 0;
    moves.push(...kept.sort((a, b) => a.start - b.start || a.end - b.end));
  }

  const count = (id: MoveId): number => moves.filter((m) => m.id === id).length;
  const heat = heatOf(toks, {
    contempt: count('contempt'),
    hostile: count('counterattack') + count('mindread') + count('withdraw'),
  });
  const steadiness = head ? blendSteadiness(scoreOf(moves, heat), head, moves) : scoreOf(moves, heat);
  const toHeat = toReading?.heat ?? 0;
  const defensiveWeight = moves
    .filter((m) => m.kind === 'defensive')
    .reduce((s, m) => s + moveInfo[m.id].weight, 0);
  const pause =
    heat >= 0.6 ||
    defensiveWeight >= 60 ||
    (count('contempt') > 0 && defensiveWeight >= 45) ||
    (toHeat >= 0.6 && defensiveWeight >= 20);

  // a reply that is already steady needs no suggestion
  const suggestion =
    steadiness >= STEADY_ENOUGH && !moves.some((m) => m.kind === 'defensive')
      ? ''
      : suggestionFor(text, moves, to, toReading);
  return { text, moves, steadiness, pause, suggestion, heat: round2(heat) };
}

/** At or above this, with no defensive move, a reply gets no "Try" suggestion. */
export const STEADY_ENOUGH = 80;

type Hit = {
  rule: RuleSpec & { why?: string; instead?: string };
  from: number;
  to: number;
  start: number;
  end: number;
};

/** One move per stretch: hits of one defensive id in one sentence become a single move over them all. */
function mergeRepeats(hits: Hit[], toks: Token[]): Hit[] {
  const out: Hit[] = [];
  const open = new Map<string, Hit>();
  const sorted = [...hits].sort((a, b) => a.start - b.start || b.end - a.end);
  for (const h of sorted) {
    const key = `${h.rule.id}|${toks[h.from]!.sent}`;
    const prev = open.get(key);
    if (prev) {
      prev.to = Math.max(prev.to, h.to);
      prev.end = Math.max(prev.end, h.end);
    } else {
      const copy = { ...h };
      open.set(key, copy);
      out.push(copy);
    }
  }
  return out;
}

const CHARGED = new Set(['absolute', 'faux_feeling', 'label']);
const ECHO_LEAD = new Set(['me', 'so', 'oh', 'really']);
const RELATION_RULES: Record<string, RuleSpec> = {
  contradicts: { id: 'correct', name: 'contradicts-complaint', patterns: [], match: [], noMatch: [] },
  echo: { id: 'correct', name: 'echo-question', patterns: [], match: [], noMatch: [] },
  agrees: { id: 'stay', name: 'agrees-to-ask', patterns: [], match: [], noMatch: [] },
};
const YES = new Set(['yes', 'yeah', 'yep', 'sure', 'absolutely', 'definitely', 'okay', 'of']);

/**
 * Moves found in how the reply answers the message: a complaint's own predicate asserted back ("You never
 * listen" -> "I do listen"), or a short question that echoes the complaint's word ("Ignored? Seriously?").
 */
export function relationHits(toks: Token[], toToks: Token[], toCues: { id: string; text: string }[]): Hit[] {
  const rel = data.moves.relations;
  const skip = new Set(rel.skip);
  const out: Hit[] = [];
  // the complaint's predicates: the first content word after "you never", "you're not", ...
  const predicates = new Set<string>();
  const complaint = framesIn(toToks, rel.complaint);
  for (const end of complaint) {
    for (let j = end; j < Math.min(toToks.length, end + 4); j++) {
      const t = toToks[j]!;
      if (t.kind !== 'word') break;
      if (skip.has(t.norm)) continue;
      predicates.add(stemOf(t.norm));
      break;
    }
  }
  if (predicates.size) {
    for (const end of framesIn(toks, rel.assert)) {
      for (let j = end; j < Math.min(toks.length, end + 3); j++) {
        const t = toks[j]!;
        if (t.kind !== 'word' || t.sent !== toks[end - 1]!.sent) break;
        if (skip.has(t.norm)) continue;
        if (predicates.has(stemOf(t.norm)))
          out.push({
            rule: RELATION_RULES.contradicts!,
            from: end - frameLength(toks, end, rel.assert),
            to: j + 1,
            start: toks[end - frameLength(toks, end, rel.assert)]!.start,
            end: t.end,
          });
        break;
      }
    }
  }
  // a short question made of the complaint's own charged word: its predicate, an absolute, a label, an
  // accusing feeling word ("Always?", "Ignored? Seriously?", "Selfish? Me?"); a topic word asked about is curiosity
  const charged = new Set([
    ...predicates,
    ...toCues.filter((c) => CHARGED.has(c.id)).map((c) => stemOf(c.text.toLowerCase())),
  ]);
  for (const [from, i] of sentencesOf(toks)) {
    const sent = toks.slice(from, i);
    const words = sent.filter((t) => t.kind === 'word');
    if (sent[sent.length - 1]!.norm === '?' && words.length > 0 && words.length <= rel.echoMaxWords) {
      // the echoed word leads ("Always?", "Ignored? Seriously?") or follows a bare "me"/"so" ("Me? Selfish?")
      const lead =
        charged.has(stemOf(words[0]!.norm)) ||
        (words.length === 2 && ECHO_LEAD.has(words[0]!.norm) && charged.has(stemOf(words[1]!.norm)));
      if (lead)
        out.push({
          rule: RELATION_RULES.echo!,
          from,
          to: i,
          start: sent[0]!.start,
          end: sent[sent.length - 1]!.end,
        });
    }
  }
  // "Yes." to "Could we have dinner together tonight?": agreeing to what was asked is staying with them
  const asked = requestOf(toToks) !== null || toToks[toToks.length - 1]?.norm === '?';
  const first = toks.find((t) => t.kind === 'word');
  if (
    asked &&
    first &&
    YES.has(first.norm) &&
    (first.norm !== 'of' || toks[toks.indexOf(first) + 1]?.norm === 'course')
  ) {
    const i = toks.indexOf(first);
    const to = first.norm === 'of' ? i + 2 : i + 1;
    out.push({ rule: RELATION_RULES.agrees!, from: i, to, start: first.start, end: toks[to - 1]!.end });
  }
  return out;
}

/** Token indices just past each occurrence of one of the frames (multi-word, already merged forms). */
function framesIn(toks: Token[], frames: string[]): number[] {
  const out: number[] = [];
  const split = frames.map((f) => f.split(' '));
  for (let i = 0; i < toks.length; i++) {
    for (const f of split) {
      if (f.every((w, k) => toks[i + k]?.norm === w)) out.push(i + f.length);
    }
  }
  return out;
}

function frameLength(toks: Token[], end: number, frames: string[]): number {
  let best = 1;
  for (const f of frames) {
    const w = f.split(' ');
    if (w.every((x, k) => toks[end - w.length + k]?.norm === x)) best = Math.max(best, w.length);
  }
  return best;
}

// Chosen out of fold on the training part of the reply corpus (scripts/moves-dev.ts): the whole-reply head
// decides defensive or not; moves follow it.
export const RECONCILE = { addAt: 0.7, dropModelBelow: 0.6, dropRulesBelow: 0.2, trustRulesFrom: 0.65 };
const { addAt: ADD_AT, dropModelBelow: DROP_MODEL_BELOW, dropRulesBelow: DROP_RULES_BELOW } = RECONCILE;

/**
 * The reply-level head reads the whole reply against the message, which sentence by sentence cannot: when it
 * is sure the reply defends and no move says so, the likeliest defensive move (at its sentence) is added;
 * when it is sure the reply does not, defensive moves the model found are dropped, and the rules' too when
 * it is very sure.
 */
function reconcile(
  text: string,
  toks: Token[],
  ctx: ReplyContext,
  moves: Move[],
  ignore: Set<string>,
  silenced: boolean,
): Float64Array {
  const head = replyModel();
  const probs = predictSentence(head, toks, [0, toks.length], ctx);
  const pDefensive = probs[0]!;
  const isDefensive = (m: Move): boolean => m.kind === 'defensive';
  // a rule that was usually right on the training data keeps its finding whatever the head says
  const trusted = (m: Move): boolean =>
    m.by === 'rule' &&
    (pDefensive >= DROP_RULES_BELOW ||
      (head.artifact.trust?.[m.rule ?? ''] ?? 1) >= RECONCILE.trustRulesFrom);
  if (pDefensive < DROP_MODEL_BELOW) {
    const keep = moves.filter((m) => !isDefensive(m) || trusted(m));
    moves.length = 0;
    moves.push(...keep);
  } else if (pDefensive >= ADD_AT && !silenced && !moves.some(isDefensive)) {
    const model = movesModel();
    let best: { id: MoveId; p: number; range: [number, number] } | undefined;
    // not into a sentence a rule read as steady: the rules are the more precise reader
    const steadyAt = new Set(
      moves.filter((m) => m.kind === 'steady' && m.by === 'rule').map((m) => sentenceOf(toks, m.start)),
    );
    for (const range of sentencesOf(toks)) {
      if (
        !toks.slice(range[0], range[1]).some((t) => t.kind === 'word') ||
        steadyAt.has(toks[range[0]]!.sent)
      )
        continue;
      const p = predictSentence(model, toks, range, ctx);
      model.classes.forEach((c, k) => {
        const id = c as MoveId;
        if (moveInfo[id]?.kind !== 'defensive' || ignore.has(id)) return;
        if (!best || p[k]! > best.p) best = { id, p: p[k]!, range };
      });
    }
    if (best) {
      const info = moveInfo[best.id];
      const start = toks[best.range[0]]!.start;
      const end = toks[best.range[1] - 1]!.end;
      moves.push({
        id: best.id,
        kind: 'defensive',
        start,
        end,
        text: text.slice(start, end),
        by: 'model',
        score: round2(pDefensive),
        label: info.label,
        why: info.why ?? '',
        instead: info.instead ?? '',
      });
    }
  }
  return probs;
}

/**
 * Steadiness with the models on: half the moves' score, half the whole-reply head's reading (steady counts
 * fully, flat a little), so two replies with the same moves still rank by how they read as a whole. A reply
 * with no steady move, or with a defensive one, stays below 50.
 */
function blendSteadiness(fromMoves: number, head: Float64Array, moves: Move[]): number {
  const fromHead = 100 * (head[1]! + 0.35 * head[2]!);
  let s = Math.round(0.5 * fromMoves + 0.5 * fromHead);
  // moves a reviewed rule found are exact evidence: the head may lift such a reply a little, not far
  // ("You don't trust me? After everything I do for you!" read as a question is still a counterattack)
  if (moves.some((m) => m.kind === 'defensive' && m.by === 'rule')) s = Math.min(s, fromMoves + 15);
  if (!moves.some((m) => m.kind === 'steady') || moves.some((m) => m.kind === 'defensive'))
    s = Math.min(s, 49);
  return Math.max(0, Math.min(100, s));
}

/** The sentence a UTF-16 offset falls in. */
function sentenceOf(toks: Token[], at: number): number {
  let lo = 0;
  let hi = toks.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (toks[mid]!.start <= at) lo = mid;
    else hi = mid - 1;
  }
  return toks[lo]?.sent ?? 0;
}

/**
 * Moves the reply corpus's model reads, sentence by sentence (moves-model.ts): any move, in words no rule
 * was written for. A move a rule already found in that sentence is not repeated; thresholds were chosen
 * out of fold on the training part of the corpus.
 */
function modelMoves(
  text: string,
  toks: Token[],
  ctx: ReplyContext,
  ruled: Move[],
  ignore: Set<string>,
): Move[] {
  const model = movesModel();
  const th = model.artifact.thresholds ?? [];
  const out: Move[] = [];
  // "I'm not saying you're overreacting": a negating frame cancels the rules after it, and the model too
  const negated = new Set(
    knowledge()
      .negating.scan(toks)
      .map((h) => toks[h.from]!.sent),
  );
  // what the rules found, per sentence: looked up, not searched, so a long reply stays linear
  const ruledIds = new Map<number, Set<string>>();
  const ruledDefensive = new Set<number>();
  for (const m of ruled) {
    const sent = sentenceOf(toks, m.start);
    let ids = ruledIds.get(sent);
    if (!ids) ruledIds.set(sent, (ids = new Set()));
    ids.add(m.id);
    if (m.kind === 'defensive') ruledDefensive.add(sent);
  }
  for (const range of sentencesOf(toks)) {
    const sent = toks.slice(range[0], range[1]);
    if (!sent.some((t) => t.kind === 'word')) continue;
    const start = sent[0]!.start;
    const end = sent[sent.length - 1]!.end;
    const frame = negated.has(sent[0]!.sent);
    const p = predictSentence(model, toks, range, ctx);
    model.classes.forEach((c, k) => {
      const id = c as MoveId;
      if (p[k]! < (th[k] ?? 1) || ignore.has(id)) return;
      if (ruledIds.get(sent[0]!.sent)?.has(id)) return;
      const info = moveInfo[id];
      // a sentence a rule read as defence (a rhetorical question, a rebuttal) is never steady
      if (info.kind === 'steady' && ruledDefensive.has(sent[0]!.sent)) return;
      if (info.kind === 'defensive' && frame) return;
      const m: Move = {
        id,
        kind: info.kind,
        start,
        end,
        text: text.slice(start, end),
        by: 'model',
        score: round2(p[k]!),
        label: info.label,
      };
      if (info.kind === 'defensive') {
        m.why = info.why ?? '';
        m.instead = info.instead ?? '';
      }
      out.push(m);
    });
  }
  return out;
}

/**
 * Steadiness, 0..100: steady moves raise it, defensive moves lower it, each repeat of the same move counting
 * less; heat pulls it down. Defensive moves weigh more than steady ones: one "you're overreacting" undoes a
 * lot of "I hear you". The sum is squashed by a logistic curve around 50, so a reply with more defence
 * still ranks below one with less, instead of both sitting at 0; a reply with no steady move stays below 50.
 */
export function scoreOf(moves: Pick<Move, 'id' | 'kind'>[], heat: number): number {
  let raw = 0;
  const seen = new Map<MoveId, number>();
  let steadyKinds = 0;
  for (const m of moves) {
    const n = seen.get(m.id) ?? 0;
    seen.set(m.id, n + 1);
    const w = moveInfo[m.id].weight * (m.kind === 'defensive' ? 0.7 : 0.5) ** n;
    if (m.kind === 'defensive') raw -= w * 1.15;
    else {
      raw += w;
      if (n === 0) steadyKinds++;
    }
  }
  if (steadyKinds >= 2) raw += 4; // reflecting and then asking is the stance, not just a phrase
  if (moves.length === 0) raw -= 5; // saying nothing steady is not steady either
  raw -= heat * 25;
  return Math.max(0, Math.min(100, Math.round(100 / (1 + Math.exp(-raw / 22)))));
}

function suggestionFor(
  text: string,
  moves: Move[],
  to: string | undefined,
  toReading: ReturnType<typeof read> | undefined,
): string {
  if (to && toReading) return buildReplies(toReading, hash(to))[0]!;
  // Keep what the reply owns, drop the defence, and turn toward the other person.
  const own = moves.find((m) => m.id === 'own' && m.end - m.start <= 80);
  const fallback = data.voice.fallback;
  const base = fallback[hash(text) % fallback.length]!;
  return own ? `${capitalize(own.text.replace(/[\s,.;!?]+$/, ''))}. ${base}` : base;
}

function capitalize(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

/** Merge spans into disjoint intervals; the returned test is a binary search, so checking stays O(n log n). */
function _coverage(spans: { start: number; end: number }[]): (start: number, end: number) => boolean {
  const merged: [number, number][] = [];
  for (const s of [...spans].sort((a, b) => a.start - b.start)) {
    const last = merged[merged.length - 1];
    if (last && s.start <= last[1]) last[1] = Math.max(last[1], s.end);
    else merged.push([s.start, s.end]);
  }
  return (start, end) => {
    let lo = 0;
    let hi = merged.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const [a, b] = merged[mid]!;
      if (b <= start) lo = mid + 1;
      else if (a >= end) hi = mid - 1;
      else return true;
    }
    return false;
  };
}
