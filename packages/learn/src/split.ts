// Frozen test splits for the project's own corpora: a stratified 20% of each file, frozen once in
// test-ids.json before any tuning on that file and never trained or tuned on. A file added later gets its
// own split, so no record ever moves into or out of test.

import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fnv } from '@steady/engine';
import { DataError, readJsonl } from './data.js';
import { SEED } from './tasks.js';

const SPLIT_FILE = 'test-ids.json';

interface Frozen {
  note: string;
  files: string[];
  ids: string[];
}

/** Records name their file by their id's prefix ("sh-0001" is in sh.jsonl). */
export const fileOf = (r: { id: string }): string => `${r.id.split('-')[0]}.jsonl`;

const groupOf = (r: object): string | undefined => (r as { group?: string }).group;

/**
 * Within each stratum, the records whose id hashes lowest go to test: 20%, rounded. Records that share a
 * `group` (a writer's near-neighbour pairs) go to test together, so no twin of a test record is trained on.
 */
export function freezeFiles<R extends { id: string }>(
  records: R[],
  dir: string,
  stratum: (r: R) => string,
  what: string,
): string[] {
  const file = join(dir, SPLIT_FILE);
  const frozen: Frozen = existsSync(file)
    ? (JSON.parse(readFileSync(file, 'utf8')) as Frozen)
    : {
        note: `Frozen stratified 20% test split of ${what}: never trained or tuned on. Made file by file, before any tuning on that file.`,
        files: [],
        ids: [],
      };
  const fresh = records.filter((r) => !frozen.files.includes(fileOf(r)));
  const groups = new Map<string, R[]>();
  for (const r of fresh) groups.set(stratum(r), [...(groups.get(stratum(r)) ?? []), r]);
  const test: string[] = [];
  for (const [, rs] of [...groups].sort(([a], [b]) => a.localeCompare(b))) {
    const sorted = [...rs].sort((a, b) => fnv(a.id, SEED) - fnv(b.id, SEED) || a.id.localeCompare(b.id));
    test.push(...sorted.slice(0, Math.round(rs.length * 0.2)).map((r) => r.id));
  }
  // near neighbours written as a pair (a record's optional `group`) share a side: one in test takes the other
  const inTest = new Set(test);
  const testGroups = new Set(
    fresh.filter((r) => inTest.has(r.id) && groupOf(r)).map((r) => groupOf(r) as string),
  );
  for (const r of fresh) if (!inTest.has(r.id) && testGroups.has(groupOf(r) ?? '')) test.push(r.id);
  frozen.files = [...new Set([...frozen.files, ...fresh.map(fileOf)])].sort();
  frozen.ids = [...frozen.ids, ...test].sort();
  writeFileSync(file, `${JSON.stringify(frozen, null, 1)}\n`);
  return test;
}

/** Train and test as frozen; records of a file not yet frozen are left out of both until it is. */
export function frozenSplit<R extends { id: string }>(all: R[], dir: string): { train: R[]; test: R[] } {
  const file = join(dir, SPLIT_FILE);
  if (!existsSync(file)) throw new DataError(`no frozen test split: ${file} (freeze it once, before tuning)`);
  const frozen = JSON.parse(readFileSync(file, 'utf8')) as Frozen;
  const ids = new Set(frozen.ids);
  const known = all.filter((r) => frozen.files.includes(fileOf(r)));
  return { train: known.filter((r) => !ids.has(r.id)), test: known.filter((r) => ids.has(r.id)) };
}

/**
 * Every record of a corpus folder (its *.jsonl files, in name order): ids unique and prefixed by their file's
 * name, each record checked by `check`, which returns what is wrong with it or nothing.
 */
export function readCorpus<R extends { id: string }>(
  dir: string,
  what: string,
  check: (r: R) => string | undefined,
): R[] {
  if (!existsSync(dir)) throw new DataError(`missing ${what}: ${dir}`);
  const out: R[] = [];
  const seen = new Set<string>();
  for (const f of readdirSync(dir)
    .filter((f) => f.endsWith('.jsonl'))
    .sort()) {
    for (const r of readJsonl<R>(join(dir, f))) {
      if (seen.has(r.id)) throw new DataError(`${f}: duplicate id ${r.id}`);
      if (fileOf(r) !== f) throw new DataError(`${f}: ${r.id}: ids are prefixed by their file's name`);
      const wrong = check(r);
      if (wrong) throw new DataError(`${f}: ${r.id}: ${wrong}`);
      seen.add(r.id);
      out.push(r);
    }
  }
  return out;
}
