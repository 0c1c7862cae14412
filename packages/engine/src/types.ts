// Public shapes: these follow ../shared/spec/CONTRACT.md exactly; extra fields are additions only.

export const CUE_IDS = ['you_statement', 'absolute', 'faux_feeling', 'label', 'accusing_question'] as const;
export const FEELING_IDS = [
  'lonely',
  'sad',
  'hurt',
  'scared',
  'angry',
  'disappointed',
  'ashamed',
  'overwhelmed',
  'confused',
  'hopeless',
  'jealous',
] as const;
export const NEED_IDS = [
  'seen',
  'heard',
  'connection',
  'security',
  'respect',
  'support',
  'autonomy',
  'honesty',
  'acceptance',
] as const;
export const SAFETY_IDS = ['self_harm', 'violence', 'control'] as const;
export const DEFENSIVE_IDS = [
  'justify',
  'correct',
  'counterattack',
  'scorekeep',
  'minimize',
  'personalize',
  'mindread',
  'withdraw',
  'contempt',
  'yes_but',
  'nonapology',
  'fix',
] as const;
export const STEADY_IDS = ['reflect', 'validate', 'explore', 'own', 'stay', 'pause'] as const;

export const MOVE_IDS = [...DEFENSIVE_IDS, ...STEADY_IDS] as const;

export type CueId = (typeof CUE_IDS)[number];
export type FeelingId = (typeof FEELING_IDS)[number];
export type NeedId = (typeof NEED_IDS)[number];
export type SafetyId = (typeof SAFETY_IDS)[number];
export type DefensiveId = (typeof DEFENSIVE_IDS)[number];
export type SteadyId = (typeof STEADY_IDS)[number];
export type MoveId = DefensiveId | SteadyId;

export interface Span {
  start: number;
  end: number;
  text: string;
}
export interface Cue extends Span {
  id: CueId;
  note: string;
  /** Addition: a short plain name for people ("always or never"). */
  label?: string;
  /** Addition: the rule that fired: what --ignore and .steadyrc.json accept. */
  rule?: string;
}
export interface Scored<I extends string> {
  id: I;
  score: number;
}
export const SAFETY_LEVELS = ['concern', 'urgent'] as const;
export type SafetyLevel = (typeof SAFETY_LEVELS)[number];
export interface Safety {
  id: SafetyId;
  evidence: Span[];
  message: string;
  resources: string[];
  /** Addition: `urgent` is danger now (a method or means, preparations, an imminent threat); else `concern`. */
  level?: SafetyLevel;
  /** Addition: the taxonomy's subcategory that fired first (docs/safety.md), e.g. "method_means". */
  sub?: string;
  /** Addition: "model" when only the learned classifier (not a rule) found it. */
  by?: 'rule' | 'model';
}
export interface HearResult {
  text: string;
  cues: Cue[];
  feelings: Scored<FeelingId>[];
  needs: Scored<NeedId>[];
  misreading: string;
  beneath: string;
  heat: number;
  safety: Safety | null;
  replies: string[];
}
export interface Move extends Span {
  id: MoveId;
  kind: 'defensive' | 'steady';
  why?: string;
  instead?: string;
  /** Addition: "model" when a learned model (not a rule) found the move; it then spans a whole sentence. */
  by?: 'rule' | 'model';
  /** Addition: the model's probability, for moves found by a model. */
  score?: number;
  /** Addition: a short plain name for people ("explaining yourself"); ids stay for machines. */
  label?: string;
  /** Addition: the rule that fired (rule-found moves): what --ignore and .steadyrc.json accept. */
  rule?: string;
}
export interface CheckResult {
  text: string;
  moves: Move[];
  steadiness: number;
  pause: boolean;
  suggestion: string;
  /** Addition: how charged the reply itself is, 0..1. */
  heat: number;
}
export interface SoftenResult {
  text: string;
  cues: Cue[];
  feelings: Scored<FeelingId>[];
  needs: Scored<NeedId>[];
  softened: string;
  parts: { observation: string; feeling: string; need: string; request: string };
  /**
   * Addition: set when the draft itself carries risk. Then `softened` is empty: a draft with self-harm risk
   * gets help for its writer, and a threat or control is never rewritten into a politer one; `message`
   * says so to the writer.
   */
  safety?: Safety | null;
  /** Addition: the relationship the wording was fitted to. */
  relationship?: Relationship;
}

export interface Options {
  /** Rule or cue/move ids to silence, like alex's config ("absolute", "fix"). */
  ignore?: string[];
  /** Safety resources to show instead of the defaults (e.g. a local crisis line). */
  resources?: string[];
  /** Use the shipped learned models beside the rules (default true); false gives the rules alone. */
  models?: boolean;
  /** For evaluation only: leave out the message corpus's feelings and needs models (default true). */
  corpus?: boolean;
}
export const RELATIONSHIPS = ['partner', 'parent_child', 'family', 'friends', 'coworkers'] as const;
export type Relationship = (typeof RELATIONSHIPS)[number];
export interface SoftenOptions extends Options {
  /** Who the message is for: the request's wording fits it (no couple framing between a parent and a teen). */
  relationship?: Relationship;
  /** Addition: the feeling and need to name when the caller has heard them already (steady listen's story). */
  feeling?: FeelingId;
  need?: NeedId;
}
export interface CheckOptions extends Options {
  /** The message this reply answers. */
  to?: string;
}

/** Longest text the engine reads; beyond this it reads the first MAX_CHARS characters. */
export const MAX_CHARS = 1_000_000;
/** Most of the message a reply answers that check reads: its last 8,192 characters. A reply answers
 * the end of what was said; reading a whole book of context would cost without changing the reading. */
export const MAX_CONTEXT = 8192;
