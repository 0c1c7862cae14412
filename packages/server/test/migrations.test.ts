// Migration 004 (rooms.bytes, rooms.active_at) on a database as a server at migration 003 left it: a
// room made long ago but written to yesterday must be dated by its newest message, so the prune that
// runs when the server starts keeps it, while rooms idle past the expiry go. SQLite and PostgreSQL.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import Database from 'better-sqlite3';
import pg from 'pg';
import { buildServer } from '../src/index.ts';
import { migrateTo } from '../src/store.ts';
import { type Postgres, startPostgres } from '../testing/services.ts';

const DAY = 86_400_000;
const dir = mkdtempSync(join(tmpdir(), 'steady-migrate-'));
let postgres: Postgres | undefined;
after(async () => {
  if (postgres) {
    // pg's pool.end() resolves before its sockets have closed: stopping the server under a closing
    // connection makes it throw "terminating connection" after the test. Wait until they are gone.
    const c = new pg.Client({ connectionString: postgres.url });
    await c.connect();
    for (let i = 0; i < 100; i++) {
      const { rows } = await c.query(
        "SELECT 1 FROM pg_stat_activity WHERE backend_type = 'client backend' AND pid <> pg_backend_pid()",
      );
      if (!rows.length) break;
      await new Promise((ok) => setTimeout(ok, 50));
    }
    await c.end();
  }
  await postgres?.stop();
  rmSync(dir, { recursive: true, force: true });
});

const USED = 'used-lately-aaaaaaaaaaa';
const IDLE = 'long-idle-aaaaaaaaaaaaa';
const EMPTY = 'never-used-aaaaaaaaaaaa';

/** The rows of three rooms made 90 days ago, in the schema of migration 003 (no bytes, no active_at). */
function rows(now: number): { sql: string; args: (string | number)[] }[] {
  const made = now - 90 * DAY;
  const room = (id: string, last: number) => ({
    sql: 'INSERT INTO rooms (id, verifier, created_at, last_seq) VALUES ($1, $2, $3, $4)',
    args: [id, 'v'.repeat(64), made, last],
  });
  const msg = (id: string, seq: number, body: string, at: number) => ({
    sql: 'INSERT INTO messages (room_id, seq, client_id, body, created_at) VALUES ($1, $2, $3, $4, $5)',
    args: [id, seq, `${id.slice(0, 8)}-${seq}`, body, at],
  });
  return [
    room(USED, 2),
    msg(USED, 1, 'first words', now - 80 * DAY),
    msg(USED, 2, 'written yesterday', now - DAY),
    room(IDLE, 1),
    msg(IDLE, 1, 'long ago', now - 60 * DAY),
    room(EMPTY, 0),
  ];
}

async function at003(kind: 'sqlite' | 'postgres'): Promise<string> {
  const where =
    kind === 'sqlite'
      ? join(dir, 'old.db')
      : await (postgres ??= await startPostgres({ durable: false })).database();
  await migrateTo(where, '003_pg_append_many');
  const now = Date.now();
  if (kind === 'sqlite') {
    const db = new Database(where);
    for (const r of rows(now)) db.prepare(r.sql.replace(/\$\d/g, '?')).run(...r.args);
    assert.deepEqual(
      (db.prepare('PRAGMA table_info(rooms)').all() as { name: string }[]).map((c) => c.name),
      ['id', 'verifier', 'created_at', 'last_seq'],
      'the database is as migration 003 left it',
    );
    db.close();
  } else {
    const c = new pg.Client({ connectionString: where });
    await c.connect();
    for (const r of rows(now)) await c.query(r.sql, r.args);
    await c.end();
  }
  return where;
}

for (const kind of ['sqlite', 'postgres'] as const) {
  test(`migration 004 on ${kind}: a room made long ago but used yesterday survives the prune at start`, async () => {
    const where = await at003(kind);
    // the server migrates on open, then prunes rooms idle over 30 days as it becomes ready
    const { app, store } = await buildServer({ db: where, bounds: { idleDays: 30 } });
    await app.ready();
    try {
      assert.equal(await store.verifier(USED), 'v'.repeat(64), 'kept: its newest message is a day old');
      assert.deepEqual(
        (await store.since(USED, 0)).map((m) => m.body),
        ['first words', 'written yesterday'],
      );
      assert.equal(await store.verifier(IDLE), undefined, 'pruned: nothing for 60 days');
      assert.equal(await store.verifier(EMPTY), undefined, 'pruned: made 90 days ago, never written');
      // the room's bytes were counted from its messages, for the per-room cap and the server's quota
      assert.equal(store.used, 'first words'.length + 'written yesterday'.length);
      // and it carries on: numbering after the old messages
      const r = await store.append(USED, 'after-migration', 'new');
      assert.equal('seq' in r && r.seq, 3);
    } finally {
      await app.close();
    }
  });
}
