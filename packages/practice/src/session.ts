// The practice conversation: your reply is checked by the engine, and the other person answers the
// way people do: a defensive reply makes them push harder or pull away, a steady one lets them say more.
import type { CheckResult } from '@steady/engine';
import repairs from '../data/repair.json' with { type: 'json' };
import type { Attempt, Branch, Feedback, Line, Reaction, Scenario, Session } from './types.js';

/** What they say first when a steady reply follows a defensive one (data/repair.json): the same line
 * for the same scenario and step, so a path always reads the same. */
export function repairOf(scenario: Scenario, step: number, reaction: Reaction): string {
  const lines = repairs[reaction];
  let h = step;
  for (const c of scenario.id) h = (h * 31 + c.charCodeAt(0)) >>> 0;
  return lines[h % lines.length]!;
}

/** A reply counts as steady when it carries no defensive move and reaches them (reflects, validates,
 * asks, owns or stays): a bare "ok" defends nothing, yet leaves them alone with it. */
export const STEADY_AT = 55;

export function branchOf(checked: CheckResult): { branch: Branch; reason: string } {
  const defensive = checked.moves.filter((m) => m.kind === 'defensive');
  if (defensive.length) {
    const ids = [...new Set(defensive.map((m) => m.id.replace(/_/g, ' ')))];
    return {
      branch: 'defensive',
      reason: `They heard ${ids.join(' and ')} (“${defensive[0]!.text}”), so they answer the defence, not you.`,
    };
  }
  if (checked.steadiness < STEADY_AT) {
    return {
      branch: 'defensive',
      reason:
        'Nothing in it defends, but nothing reaches them either: no reflection, no question, no “I’m here”. Silence-like replies read as not caring.',
    };
  }
  const steady = [...new Set(checked.moves.filter((m) => m.kind === 'steady').map((m) => m.id))];
  return {
    branch: 'steady',
    reason: steady.length
      ? `You stayed with them (${steady.join(', ')}), so there is room to say more.`
      : 'You stayed with them, so there is room to say more.',
  };
}

export function start(scenario: Scenario): Session {
  return {
    scenario: scenario.id,
    step: 0,
    from: null,
    transcript: [{ who: 'them', text: scenario.opening.say }],
    done: false,
  };
}

/** The message being answered at this point of the session. */
export function current(scenario: Scenario, s: Session): Line {
  if (s.step === 0) return scenario.opening;
  const turn = scenario.turns[s.step - 1];
  if (!turn || !s.from) throw new Error(`scenario ${scenario.id} has no step ${s.step}`);
  return turn[s.from];
}

/** Answer the current message. `checked` is check(reply, {to: message}) from the engine, passed in so
 * the web app can run the engine in its worker. Returns the next session and the feedback. */
export function respond(
  scenario: Scenario,
  s: Session,
  reply: string,
  checked: CheckResult,
): { session: Session; feedback: Feedback } {
  if (s.done) throw new Error('this practice conversation has ended; start it again');
  if (!reply.trim()) throw new Error('write a reply first');
  const line = current(scenario, s);
  const { branch, reason } = branchOf(checked);
  const turn = scenario.turns[s.step];
  let next = turn ? turn[branch].say : scenario.close[branch];
  // answering a line that came from a defence (they pushed or pulled away), steadily: they notice first
  const answered = s.from === 'defensive' ? scenario.turns[s.step - 1]?.defensive.reaction : undefined;
  if (branch === 'steady' && answered) next = `${repairOf(scenario, s.step, answered)} ${next}`;
  const reaction = branch === 'steady' ? 'open' : turn ? turn.defensive.reaction : null;
  const feedback: Feedback = {
    message: line.say,
    beneath: line.beneath,
    model: line.model,
    reply,
    steadiness: checked.steadiness,
    pause: checked.pause,
    moves: checked.moves,
    branch,
    reason,
    next,
    reaction,
  };
  const session: Session = {
    scenario: scenario.id,
    step: s.step + 1,
    from: branch,
    transcript: [...s.transcript, { who: 'you', text: reply }, { who: 'them', text: next }],
    done: !turn,
  };
  return { session, feedback };
}

/** The record to store for one answered message. */
export function attemptOf(s: Session, f: Feedback, at: Date, id: string): Attempt {
  return {
    id,
    at: at.toISOString(),
    scenario: s.scenario,
    step: s.step,
    message: f.message,
    reply: f.reply,
    steadiness: f.steadiness,
    branch: f.branch,
    moves: f.moves.map((m) => ({
      id: m.id,
      kind: m.kind,
      text: m.text,
      ...(m.label ? { label: m.label } : {}),
    })),
  };
}

/** Steps in a scenario: the opening and each follow-up. */
export const stepsOf = (scenario: Scenario) => scenario.turns.length + 1;
