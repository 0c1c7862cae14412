// The shapes of a practice scenario (data/*.json) and of a stored attempt.
import type { CheckResult, DefensiveId, MoveId } from '@steady/engine';

export const RELATIONSHIPS = ['couple', 'parent_teen', 'friends', 'coworkers', 'therapist_client'] as const;
export type Relationship = (typeof RELATIONSHIPS)[number];

export const RELATIONSHIP_NAMES: Record<Relationship, string> = {
  couple: 'Partners',
  parent_teen: 'Parent and teenager',
  friends: 'Friends',
  coworkers: 'Coworkers',
  therapist_client: 'Therapist and client',
};

/** How the other person answers a defensive reply. */
export type Reaction = 'escalate' | 'withdraw';

/** One thing the other person says, with what may be beneath it and a reply that would meet it. */
export interface Line {
  say: string;
  beneath: string;
  model: string;
}

/** A follow-up: what they say after a steady reply, and after a defensive one. */
export interface ScenarioTurn {
  steady: Line;
  defensive: Line & { reaction: Reaction };
}

export interface Scenario {
  id: string;
  title: string;
  relationship: Relationship;
  /** Who you are in it and what just happened. */
  context: string;
  /** Set when the scenario comes from the essay Steady grows from. */
  source?: 'essay';
  opening: Line;
  turns: ScenarioTurn[];
  /** Their last words after your last reply, steady or defensive. */
  close: { steady: string; defensive: string };
}

export type Branch = 'steady' | 'defensive';

/** Where a practice conversation stands: which message you are answering. */
export interface Session {
  scenario: string;
  /** 0 = the opening, k = turns[k-1]. */
  step: number;
  /** The branch the message you are answering came from (null for the opening). */
  from: Branch | null;
  transcript: { who: 'them' | 'you'; text: string }[];
  done: boolean;
}

export interface Feedback {
  /** The message you answered and its notes. */
  message: string;
  beneath: string;
  model: string;
  reply: string;
  steadiness: number;
  pause: boolean;
  moves: CheckResult['moves'];
  branch: Branch;
  /** Why the conversation took that branch, in a sentence. */
  reason: string;
  /** What they say next (a follow-up or their last words). */
  next: string;
  reaction: Reaction | 'open' | null;
}

/** One stored attempt: a reply to one message of one scenario. */
export interface Attempt {
  id: string;
  /** ISO time. */
  at: string;
  scenario: string;
  step: number;
  message: string;
  reply: string;
  steadiness: number;
  branch: Branch;
  moves: { id: MoveId; kind: 'defensive' | 'steady'; text: string; label?: string }[];
}

export interface Progress {
  attempts: number;
  scenarios: number;
  /** Scenarios finished (every step answered at least once). */
  finished: number;
  mean: number | null;
  /** Mean steadiness of the first and the last five attempts: is it moving? */
  first5: number | null;
  last5: number | null;
  /**
   * Earlier against later replies, in windows that never overlap: halves of the replies from 4 to 9,
   * the first and last five from 10 on; null under 4 (too few to say anything about a change).
   */
  trend: { window: number; first: number; last: number } | null;
  /** Steadiness per attempt, oldest first. */
  series: { at: string; steadiness: number; scenario: string }[];
  /** Defensive moves you lean on, most often first. */
  leanOn: { id: DefensiveId; count: number; label: string }[];
  steadyMoves: { id: MoveId; count: number; label: string }[];
}
