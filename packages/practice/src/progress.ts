// Progress across attempts: steadiness over time and the defensive moves you lean on.
import type { DefensiveId, MoveId } from '@steady/engine';
import type { Attempt, Progress, Scenario } from './types.js';

const mean = (xs: number[]) => (xs.length ? Math.round(xs.reduce((a, b) => a + b, 0) / xs.length) : null);

/** The smallest number of replies that says anything about a change (two against two). */
export const TREND_MIN = 4;

/** Earlier against later, in windows that never share a reply (first5/last5 do, under ten replies). */
export function trendOf(values: readonly number[]): Progress['trend'] {
  if (values.length < TREND_MIN) return null;
  const window = Math.min(5, Math.floor(values.length / 2));
  return { window, first: mean(values.slice(0, window))!, last: mean(values.slice(-window))! };
}

export function progress(attempts: readonly Attempt[], scenarios: readonly Scenario[]): Progress {
  const sorted = [...attempts].sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : 0));
  const steps = new Map(scenarios.map((s) => [s.id, s.turns.length + 1]));
  const answered = new Map<string, Set<number>>();
  const defensive = new Map<DefensiveId, number>();
  const steady = new Map<MoveId, number>();
  // the plain label people read, from the attempts themselves (older attempts stored none: the id stands in)
  const labels = new Map<string, string>();
  for (const a of sorted) {
    let set = answered.get(a.scenario);
    if (!set) answered.set(a.scenario, (set = new Set()));
    set.add(a.step);
    for (const m of a.moves) if (m.label) labels.set(m.id, m.label);
    // a move counts once per reply: three "but"s in one reply are one habit, not three
    for (const id of new Set(a.moves.filter((m) => m.kind === 'defensive').map((m) => m.id as DefensiveId)))
      defensive.set(id, (defensive.get(id) ?? 0) + 1);
    for (const id of new Set(a.moves.filter((m) => m.kind === 'steady').map((m) => m.id)))
      steady.set(id, (steady.get(id) ?? 0) + 1);
  }
  let finished = 0;
  for (const [id, set] of answered) if (set.size >= (steps.get(id) ?? Infinity)) finished++;
  const rank = <I extends string>(m: Map<I, number>) =>
    [...m]
      .map(([id, count]) => ({ id, count, label: labels.get(id) ?? id.replace(/_/g, ' ') }))
      .sort((a, b) => b.count - a.count || String(a.id).localeCompare(String(b.id)));
  const values = sorted.map((a) => a.steadiness);
  return {
    attempts: sorted.length,
    scenarios: answered.size,
    finished,
    mean: mean(values),
    first5: mean(values.slice(0, 5)),
    last5: mean(values.slice(-5)),
    trend: trendOf(values),
    series: sorted.map((a) => ({ at: a.at, steadiness: a.steadiness, scenario: a.scenario })),
    leanOn: rank(defensive),
    steadyMoves: rank(steady),
  };
}

/** A scenario to practise next: one not yet begun if any, else one not finished, else any. */
export function suggest(
  scenarios: readonly Scenario[],
  attempts: readonly Attempt[],
  random: () => number = Math.random,
): Scenario {
  if (!scenarios.length) throw new Error('no scenarios');
  const seen = new Map<string, Set<number>>();
  for (const a of attempts) {
    let set = seen.get(a.scenario);
    if (!set) seen.set(a.scenario, (set = new Set()));
    set.add(a.step);
  }
  const fresh = scenarios.filter((s) => !seen.has(s.id));
  const open = scenarios.filter((s) => (seen.get(s.id)?.size ?? 0) < s.turns.length + 1);
  const pool = fresh.length ? fresh : open.length ? open : scenarios;
  return pool[Math.floor(random() * pool.length) % pool.length]!;
}
