// The scenario library: one reviewable file per relationship (data/*.json), validated by test/practice.test.ts.
import couple from '../data/couple.json' with { type: 'json' };
import coworkers from '../data/coworkers.json' with { type: 'json' };
import friends from '../data/friends.json' with { type: 'json' };
import parentTeen from '../data/parent_teen.json' with { type: 'json' };
import therapistClient from '../data/therapist_client.json' with { type: 'json' };
import type { Relationship, Scenario } from './types.js';

export const scenarios: readonly Scenario[] = [
  ...couple,
  ...parentTeen,
  ...friends,
  ...coworkers,
  ...therapistClient,
] as Scenario[];

const byId = new Map(scenarios.map((s) => [s.id, s]));

export function scenario(id: string): Scenario | undefined {
  return byId.get(id);
}

export function listing(filter?: {
  relationship?: Relationship;
}): { id: string; title: string; relationship: Relationship }[] {
  return scenarios
    .filter((s) => !filter?.relationship || s.relationship === filter.relationship)
    .map(({ id, title, relationship }) => ({ id, title, relationship }));
}
