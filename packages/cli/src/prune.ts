// steady prune: delete rooms idle (no write, no hello) for longer than --older-than, from the room
// server's database. The server prunes on its own (STEADY_IDLE_DAYS, default 30); this is for an
// operator who wants it now, or with another age, or with the server stopped.
import { join } from 'node:path';
import { existsSync } from 'node:fs';

export class PruneUsageError extends Error {}

const UNITS: Record<string, number> = { d: 86_400_000, h: 3_600_000, m: 60_000, s: 1000 };

/** "30d", "12h", "90m", "45s" in milliseconds; anything else is a usage error. */
export function duration(v: string): number {
  const m = /^(\d+)([dhms])$/.exec(v.trim());
  if (!m)
    throw new PruneUsageError(
      `--older-than takes a number and a unit, like 30d, 12h, 90m or 45s; got "${v}"`,
    );
  const ms = Number(m[1]) * UNITS[m[2]!]!;
  // 0 would delete every room, in use or not: that is deleting rooms, not pruning idle ones
  if (ms === 0) throw new PruneUsageError('--older-than must be more than 0 (it would delete every room)');
  return ms;
}

export async function pruneCommand(values: {
  data?: string;
  db?: string;
  'older-than'?: string;
  json?: boolean;
}): Promise<number> {
  if (values.data && values.db) throw new PruneUsageError('give --data DIR or --db FILE|URL, not both');
  const where = values.db ?? (values.data ? join(values.data, 'steady.db') : undefined);
  if (!where) throw new PruneUsageError('steady prune needs --data DIR (holding steady.db) or --db FILE|URL');
  const { isPostgres, openStore } = await import('@steady/server');
  // never create a database just to prune it
  if (!isPostgres(where) && !existsSync(where)) throw new PruneUsageError(`no database at ${where}`);
  const age = values['older-than'] ?? '30d';
  const ms = duration(age);
  const store = await openStore(where);
  try {
    const gone = await store.prune(ms);
    process.stdout.write(
      values.json
        ? `${JSON.stringify({ pruned: gone.length, olderThan: age })}\n`
        : `steady prune: deleted ${gone.length} room${gone.length === 1 ? '' : 's'} idle for more than ${age}\n`,
    );
  } finally {
    await store.close();
  }
  return 0;
}
