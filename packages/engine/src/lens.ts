// The one dispatch: the CLI, the API and the web worker all run a lens through here, so an option added
// to a lens reaches every front end at once (the API once dropped `relationship` on the floor).

import { check } from './check.js';
import { hear } from './hear.js';
import { data } from './knowledge.js';
import { soften } from './soften.js';
import { InputError } from './util.js';
import {
  type CheckResult,
  type HearResult,
  RELATIONSHIPS,
  type Relationship,
  type SoftenOptions,
  type SoftenResult,
} from './types.js';

export const LENSES = ['hear', 'check', 'soften'] as const;
export type Lens = (typeof LENSES)[number];

/** What a lens reads: `text` (the reply, for check) and, for check, the message it answers. */
export interface LensInput {
  text: string;
  to?: string;
}
export interface LensOptions extends SoftenOptions {}
export type LensResult<L extends Lens> = L extends 'hear'
  ? HearResult
  : L extends 'check'
    ? CheckResult
    : SoftenResult;

export const isLens = (s: string): s is Lens => (LENSES as readonly string[]).includes(s);

export function runLens<L extends Lens>(lens: L, input: LensInput, options: LensOptions = {}): LensResult<L> {
  const unknown = unknownIgnores(options.ignore ?? []);
  if (unknown.length)
    throw new InputError(
      `unknown id${unknown.length > 1 ? 's' : ''} to ignore: ${unknown.join(', ')} (the rules table lists them: docs/rules.md)`,
    );
  if (options.relationship !== undefined && !RELATIONSHIPS.includes(options.relationship as Relationship))
    throw new InputError(`relationship must be one of ${RELATIONSHIPS.join(', ')}`);
  if (input.to !== undefined && lens !== 'check') throw new InputError('"to" goes with check');
  const { relationship, ...rest } = options;
  if (lens === 'hear') return hear(input.text, rest) as LensResult<L>;
  if (lens === 'check') return check(input.text, { ...rest, to: input.to }) as LensResult<L>;
  return soften(input.text, relationship ? { ...rest, relationship } : rest) as LensResult<L>;
}

let known: Set<string> | undefined;

/** Every id and rule name an ignore list may hold: cue and move ids, and each rule's name. */
export function ignorableIds(): ReadonlySet<string> {
  if (known) return known;
  known = new Set<string>();
  for (const file of [data.cues, data.moves, data.safety])
    for (const r of file.rules as { id: string; name: string }[]) {
      known.add(r.name);
      // safety ids are not ignorable: an ignore list never turns safety off, only one rule's name does
      if (file !== data.safety) known.add(r.id);
    }
  for (const id of Object.keys(data.moves.ids)) known.add(id);
  for (const id of Object.keys(data.cues.labels)) known.add(id);
  return known;
}

export const unknownIgnores = (ids: readonly string[]): string[] =>
  ids.filter((id) => !ignorableIds().has(id));
