// The reading that hear and check share: cues, feelings, needs, the event, heat and safety beneath a
// message's wording. hear puts it in a listener's words (hear.ts); check reads the message a reply answers.

import {
  cueLabels,
  cueNotes,
  data,
  fauxLexicon,
  feelingLexicon,
  feelingUnless,
  knowledge,
} from './knowledge.js';
import { heatOf } from './heat.js';
import { eventOf, type Event } from './event.js';
import { emotionModel, feelingsModel, needsModel, safetyModel, withModels } from './model/registry.js';
import { idsOf } from './model/linear.js';
import type { FeatureSpec } from './model/features.js';
import { tokenize, type Token } from './text.js';
import {
  SAFETY_IDS,
  type Cue,
  type CueId,
  type FeelingId,
  type NeedId,
  type Options,
  type Safety,
  type SafetyId,
  type SafetyLevel,
  type Span,
  type Scored,
} from './types.js';
import { noisyOr, round2 } from './util.js';
import type { RuleHit } from './rules.js';
import type { SafetyRule } from './knowledge.js';
import { ruleStands, safetyOfModel, sameSpec } from './safety.js';

// words that negate a feeling word a few tokens later, and words that frame one ("I feel so ..."): data/classes.json
const NEGATORS = new Set(data.classes.negators);
const FEEL_FRAME = new Set(data.classes.feel_frame);
// Words that make a feeling word about something else ("a lonely road" is still lonely; "sick of" is anger).
const MIN_SCORE = 0.15;

export interface Reading {
  toks: Token[];
  /** What the message is about, when it names something done ("you forgot my birthday"). */
  event: Event | null;
  cues: Cue[];
  feelings: Scored<FeelingId>[];
  needs: Scored<NeedId>[];
  safety: Safety | null;
  heat: number;
}

/** Everything hear and soften share: cues, feelings, needs, safety and heat. */
export function read(text: string, opts: Options = {}): Reading {
  const toks = tokenize(text);
  const k = knowledge();
  const ignore = new Set(opts.ignore ?? []);

  const cueHits = k.cues.match(toks).filter((h) => !ignore.has(h.rule.id) && !ignore.has(h.rule.name));
  const cues: Cue[] = cueHits.map((h) => ({
    id: h.rule.id as CueId,
    start: h.start,
    end: h.end,
    text: text.slice(h.start, h.end),
    note: cueNotes[h.rule.id] ?? '',
    label: cueLabels[h.rule.id] ?? h.rule.id,
    rule: h.rule.name,
  }));

  const feel: Record<string, number[]> = {};
  const need: Record<string, number[]> = {};
  const addTo = (acc: Record<string, number[]>, id: string, w: number): void => {
    (acc[id] ??= []).push(w);
  };

  // Feeling words, unless negated just before ("I'm not angry").
  for (let i = 0; i < toks.length; i++) {
    const t = toks[i]!;
    if (t.kind !== 'word') continue;
    const lex = feelingLexicon[t.norm];
    if (!lex) continue;
    let negated = false;
    let framed = false;
    for (let j = i - 1; j >= Math.max(0, i - 3); j--) {
      const p = toks[j]!;
      if (p.sent !== t.sent) break;
      if (NEGATORS.has(p.norm)) negated = true;
      if (FEEL_FRAME.has(p.norm)) framed = true;
    }
    if (negated) continue;
    // "leave me alone" asks for space; it is not loneliness
    const before = feelingUnless[t.norm];
    if (before?.some((b) => b.split(' ').every((w, k, ws) => toks[i - ws.length + k]?.norm === w))) continue;
    for (const [id, w] of Object.entries(lex)) addTo(feel, id, (w ?? 0) * (framed ? 1 : 0.6));
  }
  // Faux feelings: the accusation word names what is missing.
  for (const h of cueHits) {
    if (h.rule.id !== 'faux_feeling') continue;
    const word = toks[h.to - 1]!.norm;
    const f = fauxLexicon[word];
    if (!f) continue;
    for (const [id, w] of Object.entries(f.feelings)) addTo(feel, id, w ?? 0);
    for (const [id, w] of Object.entries(f.needs)) addTo(need, id, w ?? 0);
  }
  // Need phrases ("listen", "phone", "help").
  const needHits = new Set<string>();
  for (const h of k.needs.scan(toks)) {
    // one count per phrase of a need: two different phrases naming it ("understand", "understand me") agree
    const key = `${h.rule}:${h.pattern}`;
    if (needHits.has(key)) continue;
    needHits.add(key);
    addTo(need, h.rule, k.needWeight[h.rule] ?? 0.7);
  }
  // A complaint framed as "you don't ..." strengthens the need it names.
  const youCount = cues.filter((c) => c.id === 'you_statement').length;
  if (youCount) for (const id of Object.keys(need)) addTo(need, id, 0.2);

  // features computed once per spec: the emotion model's (character n-grams), and the word features the
  // safety, feelings and needs models share
  // (the rules alone when models: false, or before the models are registered: model/registry.ts)
  const models = withModels(opts);
  const feats = models
    ? { spec: emotionModel().artifact.spec, ids: idsOf(emotionModel().artifact.spec, toks) }
    : undefined;
  const words = models
    ? { spec: safetyModel().artifact.spec, ids: idsOf(safetyModel().artifact.spec, toks) }
    : undefined;
  if (feats) addLearnedFeelings(feats.ids, (id, w) => addTo(feel, id, w));
  let feelings = scored<FeelingId>(feel);
  let needs = scored<NeedId>(need);
  const voice = data.voice;
  // A complaint, an accusation, a label or a charged question carries a feeling even with no feeling word:
  // the need's usual companion, or hurt, offered softly.
  const event = eventOf(toks, text);
  const complaint = event !== null || cues.length > 0;
  if (feelings.length === 0 && complaint) {
    const f = needs.length ? NEED_FEELING[needs[0]!.id] : 'hurt';
    if (f) feelings = [{ id: f, score: round2(Math.max(0.3, (needs[0]?.score ?? 0.6) * 0.5)) }];
  }
  if (needs.length === 0 && feelings.length > 0) {
    const derived = voice.needOfFeeling[feelings[0]!.id];
    if (derived) needs = [{ id: derived, score: round2(feelings[0]!.score * 0.6) }];
  }
  if (words && opts.corpus !== false) [feelings, needs] = withCorpusReading(toks, feelings, needs, words);

  const safety = findSafety(text, toks, opts, words);
  const heat = heatOf(toks, {
    absolutes: cues.filter((c) => c.id === 'absolute').length,
    labels: cues.filter((c) => c.id === 'label').length,
    accusing: cues.filter((c) => c.id === 'accusing_question').length,
    youStatements: youCount,
    faux: cues.filter((c) => c.id === 'faux_feeling').length,
    anger: feelings.find((f) => f.id === 'angry')?.score ?? 0,
    safety: safety !== null,
  });
  return { toks, event, cues, feelings, needs, safety, heat: round2(heat) };
}

/** How much the message corpus's models count beside the lexicons (chosen on dev: scripts/hear-dev.ts). */
export const CORPUS_WEIGHT = 0.85;

/**
 * The message corpus's models (models/feelings.json, models/needs.json): the first feeling and need a
 * careful listener hears beneath the whole message, mixed with the lexicons' reading (CORPUS_WEIGHT of the
 * model). A message the model reads as carrying nothing, with nothing in the lexicons either, stays empty.
 */
function withCorpusReading(
  toks: Token[],
  feelings: Scored<FeelingId>[],
  needs: Scored<NeedId>[],
  shared?: { spec: FeatureSpec; ids: Uint32Array },
): [Scored<FeelingId>[], Scored<NeedId>[]] {
  const fm = feelingsModel();
  const nm = needsModel();
  const ids = shared && sameSpec(shared.spec, fm.artifact.spec) ? shared.ids : idsOf(fm.artifact.spec, toks);
  return [
    mixReading(feelings, fm.predictIds(ids), fm.classes),
    mixReading(needs, nm.predictIds(ids), nm.classes),
  ];
}

/**
 * The lexicons' reading and a corpus model's probabilities, mixed (CORPUS_WEIGHT of the model). A feeling or
 * need the lexicons find named outright (score at least LEXICON_SURE: "you don't understand me" is heard)
 * stays first; a message the model reads as carrying nothing, with nothing in the lexicons, stays empty.
 */
export function mixReading<I extends string>(
  rules: Scored<I>[],
  p: ArrayLike<number>,
  classes: readonly string[],
): Scored<I>[] {
  if (!rules.length && p[0]! >= 0.5) return [];
  const m = new Map<string, number>(rules.map((x) => [x.id, (1 - CORPUS_WEIGHT) * x.score]));
  classes.forEach((c, i) => {
    if (c !== 'none') m.set(c, (m.get(c) ?? 0) + CORPUS_WEIGHT * p[i]!);
  });
  const sure = rules[0] && rules[0].score >= LEXICON_SURE ? rules[0].id : undefined;
  const out = [...m]
    .map(([id, score]) => ({ id: id as I, score: round2(score) }))
    .filter((x) => x.score >= MIN_MIXED || x.id === sure)
    .sort(
      (a, b) =>
        Number(b.id === sure) - Number(a.id === sure) || b.score - a.score || a.id.localeCompare(b.id),
    );
  // first, and so its score at least the next one's: the list stays sorted by score, as the contract says
  if (sure && out[1]) out[0]!.score = Math.max(out[0]!.score, out[1].score);
  return out;
}

/** A lexicon score this high means the feeling or need was named outright. */
const LEXICON_SURE = 0.95;

/** Below this a mixed score is noise, not a reading. */
const MIN_MIXED = 0.1;

const NEED_FEELING: Record<string, FeelingId> = {
  seen: 'lonely',
  heard: 'hurt',
  connection: 'lonely',
  security: 'hurt',
  respect: 'hurt',
  support: 'overwhelmed',
  autonomy: 'overwhelmed',
  honesty: 'hurt',
  acceptance: 'hurt',
};

/**
 * The GoEmotions model's emotions above their tuned thresholds, mapped onto feeling families. It finds
 * feelings said without a lexicon word ("my chest is tight before every call with him").
 */
function addLearnedFeelings(ids: Uint32Array, add: (id: string, w: number) => void): void {
  const model = emotionModel();
  const p = model.predictIds(ids);
  const th = model.artifact.thresholds!;
  const map = data.learned.emotionToFeeling;
  const weight = data.learned.emotionWeight;
  model.classes.forEach((label, c) => {
    const m = map[label];
    if (!m || p[c]! < th[c]!) return;
    // Confidence past the threshold, scaled into 0.35..1 so a bare crossing stays a soft guess.
    const conf = 0.35 + 0.65 * Math.min(1, (p[c]! - th[c]!) / Math.max(0.05, 1 - th[c]!));
    for (const [id, w] of Object.entries(m)) add(id, (w ?? 0) * weight * conf);
  });
}

function scored<I extends string>(acc: Record<string, number[]>): Scored<I>[] {
  return Object.entries(acc)
    .map(([id, ws]) => ({ id: id as I, score: round2(noisyOr(ws)) }))
    .filter((s) => s.score >= MIN_SCORE)
    .sort((a, b) => b.score - a.score || a.id.localeCompare(b.id));
}

const SAFETY_ORDER: SafetyId[] = ['self_harm', 'violence', 'control'];

/**
 * Safety: the rules (exact spans, by the taxonomy in docs/safety.md) and the learned classifier beside
 * them (recall for phrasings no rule names). The most dangerous category wins; `urgent` when a rule of
 * that level fired, the model says so, or the message names a time, a method or the means.
 */
export function findSafety(
  text: string,
  toks: Token[],
  opts: Options,
  ids?: { spec: FeatureSpec; ids: Uint32Array },
): Safety | null {
  const k = knowledge();
  const ignore = opts.ignore ?? [];
  // only a rule's own name can be silenced: "self_harm" in an ignore list never turns safety off
  // with the models, a rule often wrong on the training corpus needs the model's lean (RULE_GATE)
  const gated = new Map<string, boolean>();
  let urgentFor: Set<string> | undefined;
  const stands = (h: RuleHit<SafetyRule>): boolean => {
    // self-harm and urgent rules always stand: a miss there costs more than a false alarm (RULE_GATE)
    if (!withModels(opts) || h.rule.level === 'urgent' || h.rule.id === 'self_harm') return true;
    // so does a rule whose category has a sign of urgency in the message (a gun, tonight, a knife)
    urgentFor ??= new Set(k.urgency.scan(toks).map((u) => u.rule));
    if (urgentFor.has(h.rule.id)) return true;
    const key = `${h.rule.id}\u0000${h.rule.name}`;
    let ok = gated.get(key);
    if (ok === undefined) gated.set(key, (ok = ruleStands(toks, h.rule.id as SafetyId, h.rule.name, ids)));
    return ok;
  };
  const found = k.safety.match(toks).filter((h) => !ignore.includes(h.rule.name));
  let hits = found.filter(stands);
  const byId = new Map<SafetyId, RuleHit<SafetyRule>[]>();
  for (const h of hits) {
    const id = h.rule.id as SafetyId;
    if (!SAFETY_IDS.includes(id)) continue;
    byId.set(id, [...(byId.get(id) ?? []), h]);
  }
  let id = SAFETY_ORDER.find((s) => byId.has(s));
  let by: 'rule' | 'model' = 'rule';
  let evidence: Span[] = [];
  let level: SafetyLevel = 'concern';
  let sub: string | undefined;
  const learned = withModels(opts) ? safetyOfModel(toks, ids) : null;
  // a rule that stood down never hands the message to another category: when the model would read it as
  // something else ("I'm going to kill you with it" as self-harm), the rules' reading stands after all
  if (!id && learned && hits.length < found.length && found.some((h) => h.rule.id !== learned.id)) {
    hits = found;
    for (const h of hits) {
      const hid = h.rule.id as SafetyId;
      if (SAFETY_IDS.includes(hid)) byId.set(hid, [...(byId.get(hid) ?? []), h]);
    }
    id = SAFETY_ORDER.find((s) => byId.has(s));
  }
  if (id) {
    const own = byId.get(id)!;
    evidence = own.map((h) => ({ start: h.start, end: h.end, text: text.slice(h.start, h.end) }));
    if (own.some((h) => h.rule.level === 'urgent')) level = 'urgent';
    sub = (own.find((h) => h.rule.level === 'urgent') ?? own[0]!).rule.sub;
  } else if (learned) {
    id = learned.id;
    by = 'model';
    const sp = learned.span;
    evidence = [{ start: sp.start, end: sp.end, text: text.slice(sp.start, sp.end) }];
  }
  if (!id) return null;
  if (learned && learned.id === id && learned.urgent) level = 'urgent';
  if (level === 'concern' && k.urgency.scan(toks).some((h) => h.rule === id)) level = 'urgent';
  const s = data.safety;
  return {
    id,
    evidence,
    message: s.messages[id],
    resources: opts.resources?.length ? [...opts.resources] : [...s.resources],
    level,
    ...(sub ? { sub } : {}),
    by,
  };
}
