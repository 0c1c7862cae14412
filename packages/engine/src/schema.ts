// Schemas of the reviewable data files. Each file is parsed against its schema once, when the engine
// loads (data.ts): a typo in a rule's field name is a clear error naming the file and the path, not a rule
// that silently never fires. The types the engine uses are derived from these schemas.

import * as v from 'valibot';
import {
  CUE_IDS,
  FEELING_IDS,
  MOVE_IDS,
  NEED_IDS,
  RELATIONSHIPS,
  SAFETY_IDS,
  SAFETY_LEVELS,
} from './types.js';

const text = v.pipe(v.string(), v.minLength(1));
const texts = v.array(text);
const note = v.optional(v.string());
const weight = v.pipe(v.number(), v.minValue(0), v.maxValue(1));
const feeling = v.picklist(FEELING_IDS);
const need = v.picklist(NEED_IDS);
const safetyId = v.picklist(SAFETY_IDS);

/** What every rule holds: an id, a stable name, its patterns, what cancels it, and its examples. */
const ruleEntries = {
  /** The public id (cue, move or safety id). */
  id: text,
  /** A unique, stable name for this rule within its file: what `--ignore` takes. */
  name: v.pipe(v.string(), v.regex(/^[a-z][a-z0-9-]*$/, 'a rule name is lower-kebab-case')),
  patterns: v.pipe(texts, v.minLength(1)),
  /** Cancelled when one of these matches anywhere in the same sentence. */
  unless: v.optional(texts),
  /** Cancelled when one of these ends at most 6 tokens before the match, in the same sentence. */
  unlessBefore: v.optional(texts),
  /** Cancelled when one of these starts right after the match (a comma between is allowed). */
  unlessAfter: v.optional(texts),
  /** Only counts when one of these ends at most 6 tokens before the match, in the same sentence. */
  requireBefore: v.optional(texts),
  /** Cancelled when one of these matches anywhere in the text (for short replies: "... and come back"). */
  unlessText: v.optional(texts),
  /** How many tokens before the match `unlessBefore` looks (default 6). */
  beforeWindow: v.optional(v.pipe(v.number(), v.integer(), v.minValue(1))),
  /** `unlessBefore` stays inside the clause: it does not look past a comma or other punctuation. */
  clause: v.optional(v.boolean()),
  /** Cancelled by a negating frame just before it ("I'm not saying ..."). Default true. */
  negatable: v.optional(v.boolean()),
  /** Why the rule exists, when the id's own note does not say it. */
  note,
  /** Examples that must produce this id, and ones that must not (run as tests). */
  match: v.pipe(texts, v.minLength(1, 'a rule carries at least one example that must match')),
  noMatch: v.pipe(texts, v.minLength(1, 'a rule carries at least one example that must not match')),
};
export const RuleSchema = v.strictObject(ruleEntries);
export type RuleSpec = v.InferOutput<typeof RuleSchema>;

export const SafetyRuleSchema = v.strictObject({
  ...ruleEntries,
  id: safetyId,
  sub: text,
  level: v.picklist(SAFETY_LEVELS),
  /** Names of shared contexts (safety.json "contexts") that cancel this rule. */
  contexts: v.optional(texts),
});
export type SafetyRule = v.InferOutput<typeof SafetyRuleSchema>;

/** An object with exactly these keys, each required: a move missing its label is an error, not a gap. */
function everyKey<const K extends string, S extends v.GenericSchema>(keys: readonly K[], s: S) {
  return v.strictObject(Object.fromEntries(keys.map((k) => [k, s])) as Record<K, S>);
}

const bySafety = <T extends v.GenericSchema>(s: T) =>
  v.strictObject({ self_harm: s, violence: s, control: s });

export const CuesSchema = v.strictObject({
  note,
  notes: everyKey(CUE_IDS, text),
  labels: everyKey(CUE_IDS, text),
  rules: v.array(v.strictObject({ ...ruleEntries, id: v.picklist(CUE_IDS) })),
});

export const MoveInfoSchema = v.strictObject({
  kind: v.picklist(['defensive', 'steady']),
  label: text,
  weight: v.number(),
  why: v.optional(text),
  instead: v.optional(text),
});
export type MoveInfo = v.InferOutput<typeof MoveInfoSchema>;

export const MoveRuleSchema = v.strictObject({
  ...ruleEntries,
  id: v.picklist(MOVE_IDS),
  /** This construction's own why and instead, when the move's general ones do not fit it. */
  why: v.optional(text),
  instead: v.optional(text),
});
export type MoveRule = v.InferOutput<typeof MoveRuleSchema>;

export const MovesSchema = v.strictObject({
  note,
  ids: everyKey(MOVE_IDS, MoveInfoSchema),
  rules: v.array(MoveRuleSchema),
  relations: v.strictObject({
    note,
    complaint: texts,
    assert: texts,
    skip: texts,
    echoMaxWords: v.pipe(v.number(), v.integer()),
  }),
});

export const SafetySchema = v.strictObject({
  note,
  messages: bySafety(text),
  writer: bySafety(text),
  replies: bySafety(texts),
  resources: texts,
  rules: v.array(SafetyRuleSchema),
  contexts: v.record(
    text,
    v.strictObject({
      note,
      before: v.optional(texts),
      sentence: v.optional(texts),
      window: v.optional(v.pipe(v.number(), v.integer(), v.minValue(1))),
    }),
  ),
  urgency: v.strictObject({ note, self_harm: texts, violence: texts, control: texts }),
});

export const LexiconSchema = v.strictObject({
  note,
  feelings: v.record(text, v.record(feeling, weight)),
  feelingUnless: v.record(text, texts),
  faux: v.record(
    text,
    v.strictObject({ feelings: v.record(feeling, weight), needs: v.record(need, weight) }),
  ),
  needs: v.array(v.strictObject({ need, weight, patterns: texts })),
});

export const SoftenSchema = v.strictObject({
  note,
  topics: v.array(v.strictObject({ name: text, patterns: texts, observation: text, request: text })),
  fallbackObservation: text,
  needRequest: everyKey(NEED_IDS, text),
  needNoun: everyKey(NEED_IDS, text),
  relationships: v.array(v.picklist(['partner', ...RELATIONSHIPS])),
  needRequestBy: v.record(v.picklist(RELATIONSHIPS), v.record(need, text)),
  asks: v.array(v.strictObject({ patterns: texts, request: text, need })),
});

export const FramesSchema = v.strictObject({ note, negating: texts });
// event.ts reads the label classes by name
export const ClassesSchema = v.objectWithRest(
  { label_strong: texts, label_soft: texts, negators: texts, feel_frame: texts, profane: texts },
  texts,
);
export const ConceptsSchema = v.strictObject({
  note,
  classes: v.record(text, texts),
  moves: v.record(text, texts),
});
export const ConfusablesSchema = v.strictObject({ note, fold: v.record(text, v.string()) });
export const EventSchema = v.strictObject({
  note,
  drop: texts,
  clauseEnd: texts,
  flipSpeakerToListener: v.record(text, v.string()),
  past: v.record(text, text),
  presentThird: v.record(text, text),
  notToThem: texts,
});
export const LearnedSchema = v.strictObject({
  about: v.string(),
  emotionToFeeling: v.record(text, v.record(feeling, weight)),
  emotionWeight: weight,
  talkMoves: v.record(v.picklist(MOVE_IDS), texts),
  talkPrecision: weight,
});

const templates = v.pipe(texts, v.minLength(1));
const tensed = v.strictObject({ past: templates, ongoing: templates });
export const VoiceSchema = v.strictObject({
  note,
  feelingWords: v.record(feeling, text),
  needOfFeeling: v.record(feeling, need),
  misreadings: v.array(
    v.strictObject({
      when: v.strictObject({
        cue: v.optional(v.picklist(CUE_IDS)),
        feeling: v.optional(feeling),
        need: v.optional(need),
      }),
      text,
    }),
  ),
  beneath: v.record(v.picklist([...NEED_IDS, 'none']), text),
  needPhrase: v.record(need, text),
  needSituation: v.record(need, text),
  needAdjective: v.record(need, text),
  reflect: templates,
  reflectNoFeeling: templates,
  validate: templates,
  validateNoFeeling: templates,
  explore: templates,
  fallback: templates,
  event: v.strictObject({ note, reflect: tensed, validate: tensed, explore: tensed }),
});

const listenNeeds = v.record(need, text);
export const ListenSchema = v.strictObject({
  note,
  openings: templates,
  retry: templates,
  clauses: v.strictObject({
    eventPast: templates,
    eventOngoing: templates,
    feelWho: templates,
    feel: templates,
    eventOnly: templates,
    none: templates,
  }),
  needs: templates,
  need: everyKey(NEED_IDS, text),
  needWho: listenNeeds,
  more: templates,
  fallback: templates,
  summary: v.strictObject({ both: text, feel: text, need: text, none: text }),
  safety: bySafety(text),
  who: v.strictObject({
    note,
    /** "my husband": [the noun said back, the pronoun that can stand for them, soften's relationship] */
    relations: v.record(text, v.tuple([text, text, v.picklist(RELATIONSHIPS)])),
    modifiers: texts,
    notNames: texts,
  }),
  gentler: v.objectWithRest({ note }, v.string()),
  words: v.strictObject({
    note,
    negators: texts,
    feelFrame: texts,
    notAdjective: texts,
    pastAux: texts,
    notVerbS: texts,
    function: texts,
  }),
});

/** Every data file, by the name the engine knows it by. */
export const DATA_SCHEMAS = {
  classes: ClassesSchema,
  concepts: ConceptsSchema,
  confusables: ConfusablesSchema,
  cues: CuesSchema,
  event: EventSchema,
  frames: FramesSchema,
  learned: LearnedSchema,
  lexicon: LexiconSchema,
  listen: ListenSchema,
  moves: MovesSchema,
  safety: SafetySchema,
  soften: SoftenSchema,
  voice: VoiceSchema,
} as const;
export type DataName = keyof typeof DATA_SCHEMAS;
export type DataOf<N extends DataName> = v.InferOutput<(typeof DATA_SCHEMAS)[N]>;

/** Parse one data file, naming the file and the path of the first problem. */
export function parseData<N extends DataName>(name: N, json: unknown): DataOf<N> {
  const r = v.safeParse(DATA_SCHEMAS[name], json);
  if (r.success) return r.output as DataOf<N>;
  const issue = r.issues[0]!;
  const path = (issue.path ?? []).map((p) => String(p.key)).join('.');
  throw new Error(`data/${name}.json${path ? ` at ${path}` : ''}: ${issue.message}`);
}
