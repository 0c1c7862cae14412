// Where rooms and their ciphertext live: SQLite by default (one file, one process), PostgreSQL when
// STEADY_DATABASE_URL is a postgres:// URL (several processes share rooms). One Kysely data-access layer
// and one set of migrations serve both. The server keeps only what it must to relay and restore: opaque
// bodies, the sender's message id, an order, and the SHA-256 of the room's auth token.

import Database from 'better-sqlite3';
import { chmodSync, closeSync, existsSync, mkdirSync, openSync } from 'node:fs';
import { dirname } from 'node:path';
import pg from 'pg';
import {
  Kysely,
  Migrator,
  PostgresDialect,
  SqliteDialect,
  sql,
  type Dialect,
  type Generated,
  type Migration,
} from 'kysely';
import { LIMITS, type Stored } from '@steady/protocol';

interface Tables {
  rooms: {
    id: string;
    verifier: string;
    created_at: number;
    last_seq: Generated<number>;
    /** Ciphertext characters stored in the room (the per-room cap and the server's quota count these). */
    bytes: Generated<number>;
    /** Last write or hello: a room idle past the expiry is pruned. */
    active_at: Generated<number>;
    delete_at: number | null;
    delete_by: string | null;
  };
  /** The SHA-256 of each member's seat token: at most two per room. Only a member may delete. */
  seats: { room_id: string; verifier: string; created_at: number };
  messages: { room_id: string; seq: number; client_id: string; body: string; created_at: number };
}

/** `full`: the room holds its most messages or its most bytes; `quota`: the server's storage is spent. */
/** `t`: when the message was stored (the server's clock), the first time if this was a resend. */
export type Append =
  | { seq: number; fresh: boolean; t: number }
  | { full: 'messages' | 'bytes' }
  | { quota: true }
  | { gone: true };

/** A write that failed for a reason worth naming: the disk is full (the original error is `cause`). */
export class StoreError extends Error {
  constructor(
    readonly code: 'disk_full',
    override readonly cause: unknown,
  ) {
    super(`the database could not write: ${(cause as Error)?.message ?? cause}`);
  }
}

/** SQLITE_FULL, ENOSPC or PostgreSQL's disk_full become a StoreError; anything else passes unchanged. */
export const named = (e: unknown): unknown => {
  const code = (e as { code?: string })?.code;
  return code === 'SQLITE_FULL' || code === 'ENOSPC' || code === '53100' ? new StoreError('disk_full', e) : e;
};

export interface StoreOptions {
  pool?: number;
  /** Most ciphertext characters one room keeps (default 32 MB). */
  roomBytes?: number;
  /** Most ciphertext characters the whole server keeps (default 8 GB); past it, `quota`. */
  totalBytes?: number;
  /** The clock that dates stored messages (`t`, which times a time-out); Date.now unless a test moves it. */
  clock?: () => number;
}

export const STORE_DEFAULTS = { roomBytes: 32 * 1024 * 1024, totalBytes: 8 * 1024 * 1024 * 1024 } as const;

/** A deletion asked for by one member, waiting out its grace period. */
export interface Deletion {
  at: number;
  by: string;
}

export const SEATS_PER_ROOM = 2;

export interface Store {
  readonly kind: 'sqlite' | 'postgres';
  createRoom(id: string, verifier: string): Promise<void>;
  verifier(id: string): Promise<string | undefined>;
  /** Store one message unless its client id is already stored; either way return its sequence number. */
  append(room: string, clientId: string, body: string): Promise<Append>;
  since(room: string, seq: number): Promise<Stored[]>;
  /** What was stored after `seq`, at most `chars` of ciphertext (always one message, if any), and
   * whether more follows. Bounded, so one read never holds a whole room in memory. */
  page(room: string, seq: number, chars: number): Promise<{ messages: Stored[]; more: boolean }>;
  deleteRoom(id: string): Promise<boolean>;
  /** Mark a room as in use (a hello): at most one write an hour per room. */
  touch(room: string): Promise<void>;
  /** Delete every room idle (no write, no hello) for longer than `idleMs`; returns their ids. */
  prune(idleMs: number, now?: number): Promise<string[]>;
  /** Ciphertext characters stored across all rooms (kept in memory, re-read now and then). */
  readonly used: number;
  /** False after a write failed, until one succeeds (or a minute passes, so that a write is tried again). */
  readonly writable: boolean;
  /** Register a member's seat verifier (again is fine); a third distinct one is refused. */
  addSeat(room: string, verifier: string): Promise<'ok' | 'full' | 'gone'>;
  seats(room: string): Promise<string[]>;
  /** The pending deletion of a room, if one was asked for. */
  deletion(room: string): Promise<Deletion | null>;
  setDeletion(room: string, d: Deletion | null): Promise<void>;
  /** Rooms whose deletion is due at `now`. */
  dueDeletions(now: number): Promise<string[]>;
  /** True when the database answers (the health check). */
  ping(): Promise<boolean>;
  close(): Promise<void>;
}

// Migrations are code, in order, for both dialects. 001 is the schema the first SQLite-only server made
// with CREATE TABLE IF NOT EXISTS, so databases from before migrations upgrade in place.
// migrations run before the typed schema exists: they see an untyped database, as Kysely's own docs write them
// biome-ignore lint/suspicious/noExplicitAny: see above
type Untyped = Kysely<any>;

const migrations = (kind: 'sqlite' | 'postgres'): Record<string, Migration> => ({
  '001_rooms_messages': {
    async up(db: Untyped) {
      await db.schema
        .createTable('rooms')
        .ifNotExists()
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('verifier', 'text', (c) => c.notNull())
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .execute();
      await db.schema
        .createTable('messages')
        .ifNotExists()
        .addColumn('room_id', 'text', (c) => c.notNull().references('rooms.id').onDelete('cascade'))
        .addColumn('seq', 'integer', (c) => c.notNull())
        .addColumn('client_id', 'text', (c) => c.notNull())
        .addColumn('body', 'text', (c) => c.notNull())
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .addPrimaryKeyConstraint('messages_pk', ['room_id', 'seq'])
        .addUniqueConstraint('messages_client', ['room_id', 'client_id'])
        .execute();
    },
  },
  // The room row carries its last sequence number: numbering a message locks one row (FOR UPDATE on
  // PostgreSQL), so two processes appending to one room take turns instead of colliding.
  '002_rooms_last_seq': {
    async up(db: Untyped) {
      await db.schema
        .alterTable('rooms')
        .addColumn('last_seq', 'integer', (c) => c.notNull().defaultTo(0))
        .execute();
      await sql`UPDATE rooms SET last_seq = COALESCE((SELECT MAX(seq) FROM messages WHERE messages.room_id = rooms.id), 0)`.execute(
        db,
      );
    },
  },
  // PostgreSQL only: the append as a PL/pgSQL function (its plans are prepared once per connection),
  // taking a batch: the appends that arrive together are one call, one transaction, one WAL flush. Rooms are taken in id order, so two processes' batches lock rows in the
  // same order and never deadlock.
  '003_pg_append_many': {
    async up(db: Untyped) {
      if (kind !== 'postgres') return;
      await sql`
        CREATE OR REPLACE FUNCTION steady_append_many(p_rooms text[], p_clients text[], p_bodies text[], p_now bigint, p_limit integer)
        RETURNS TABLE (o_i integer, o_had integer, o_seq integer, o_last integer) LANGUAGE plpgsql AS $fn$
        DECLARE v integer; k integer;
        BEGIN
          FOR k IN SELECT t.n FROM unnest(p_rooms) WITH ORDINALITY AS t(room, n) ORDER BY t.room, t.n LOOP
            o_i := k; o_had := NULL; o_seq := NULL; o_last := NULL;
            SELECT m.seq INTO v FROM messages m WHERE m.room_id = p_rooms[k] AND m.client_id = p_clients[k];
            IF FOUND THEN
              o_had := v;
            ELSE
              UPDATE rooms r SET last_seq = r.last_seq + 1 WHERE r.id = p_rooms[k] AND r.last_seq < p_limit RETURNING r.last_seq INTO v;
              IF FOUND THEN
                INSERT INTO messages (room_id, seq, client_id, body, created_at) VALUES (p_rooms[k], v, p_clients[k], p_bodies[k], p_now);
                o_seq := v;
              ELSE
                o_last := (SELECT r.last_seq FROM rooms r WHERE r.id = p_rooms[k]);
              END IF;
            END IF;
            RETURN NEXT;
          END LOOP;
        END
        $fn$`.execute(db);
    },
  },
  // Bytes per room (the per-room cap and the server's quota) and the last activity (idle rooms expire).
  '004_rooms_bytes_active': {
    async up(db: Untyped) {
      await db.schema
        .alterTable('rooms')
        .addColumn('bytes', 'bigint', (c) => c.notNull().defaultTo(0))
        .execute();
      await db.schema
        .alterTable('rooms')
        .addColumn('active_at', 'bigint', (c) => c.notNull().defaultTo(0))
        .execute();
      // a room's last activity is its newest message: a room made long ago but used yesterday must not
      // look idle to the prune that runs at start
      await sql`UPDATE rooms SET active_at = COALESCE((SELECT MAX(created_at) FROM messages WHERE messages.room_id = rooms.id), created_at), bytes = COALESCE((SELECT SUM(LENGTH(body)) FROM messages WHERE messages.room_id = rooms.id), 0)`.execute(
        db,
      );
      await db.schema.createIndex('rooms_active_at').on('rooms').column('active_at').execute();
      if (kind !== 'postgres') return;
      // 003's function, also keeping the room's bytes and activity and refusing past the room's byte cap
      await sql`
        CREATE OR REPLACE FUNCTION steady_append_bytes(p_rooms text[], p_clients text[], p_bodies text[], p_now bigint, p_limit integer, p_bytes bigint)
        RETURNS TABLE (o_i integer, o_had integer, o_seq integer, o_last integer, o_full text) LANGUAGE plpgsql AS $fn$
        DECLARE v integer; k integer; b bigint; n integer;
        BEGIN
          FOR k IN SELECT t.n FROM unnest(p_rooms) WITH ORDINALITY AS t(room, n) ORDER BY t.room, t.n LOOP
            o_i := k; o_had := NULL; o_seq := NULL; o_last := NULL; o_full := NULL;
            SELECT m.seq INTO v FROM messages m WHERE m.room_id = p_rooms[k] AND m.client_id = p_clients[k];
            IF FOUND THEN
              o_had := v;
            ELSE
              SELECT r.last_seq, r.bytes INTO n, b FROM rooms r WHERE r.id = p_rooms[k] FOR UPDATE;
              IF NOT FOUND THEN
                o_last := NULL;
              ELSIF n >= p_limit THEN
                o_last := n; o_full := 'messages';
              ELSIF b + LENGTH(p_bodies[k]) > p_bytes THEN
                o_last := n; o_full := 'bytes';
              ELSE
                UPDATE rooms r SET last_seq = r.last_seq + 1, bytes = r.bytes + LENGTH(p_bodies[k]), active_at = p_now
                  WHERE r.id = p_rooms[k] RETURNING r.last_seq INTO v;
                INSERT INTO messages (room_id, seq, client_id, body, created_at) VALUES (p_rooms[k], v, p_clients[k], p_bodies[k], p_now);
                o_seq := v;
              END IF;
            END IF;
            RETURN NEXT;
          END LOOP;
        END
        $fn$`.execute(db);
    },
  },
  // Seats and deletion with a grace period: the server learns only hashes of per-person seat tokens.
  // (Written as 004 on the room branch, alongside the server's 004; renumbered so both apply in order.)
  '005_seats_deletion': {
    async up(db: Untyped) {
      await db.schema.alterTable('rooms').addColumn('delete_at', 'bigint').execute();
      await db.schema.alterTable('rooms').addColumn('delete_by', 'text').execute();
      await db.schema
        .createTable('seats')
        .addColumn('room_id', 'text', (c) => c.notNull().references('rooms.id').onDelete('cascade'))
        .addColumn('verifier', 'text', (c) => c.notNull())
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .addPrimaryKeyConstraint('seats_pk', ['room_id', 'verifier'])
        .execute();
    },
  },
});

/** Migrate a database only as far as the migration `name`: a test builds a database as an older server
 * left it, then opens it with openStore to run the rest. */
export async function migrateTo(where: string, name: string): Promise<void> {
  const kind = isPostgres(where) ? 'postgres' : 'sqlite';
  const db = new Kysely<Tables>({
    dialect:
      kind === 'postgres'
        ? new PostgresDialect({ pool: new pg.Pool({ connectionString: where, max: 1 }) })
        : new SqliteDialect({ database: new Database(where) }),
  });
  try {
    const { error } = await new Migrator({
      db,
      provider: { getMigrations: async () => migrations(kind) },
    }).migrateTo(name);
    if (error) throw error;
  } finally {
    await db.destroy();
  }
}

export const isPostgres = (url: string): boolean => /^postgres(ql)?:\/\//.test(url);

/** Open (and migrate) the store: a postgres:// URL, or a SQLite file path (":memory:" for a throwaway). */
export async function openStore(where: string, o: StoreOptions = {}): Promise<Store> {
  const kind = isPostgres(where) ? 'postgres' : 'sqlite';
  let dialect: Dialect;
  let file: Database.Database | undefined;
  if (kind === 'postgres') {
    dialect = new PostgresDialect({ pool: new pg.Pool({ connectionString: where, max: o.pool ?? 4 }) });
  } else {
    if (where !== ':memory:') private_(where);
    file = new Database(where);
    file.pragma('journal_mode = WAL');
    file.pragma('synchronous = FULL'); // an acknowledged message survives a crash
    file.pragma('foreign_keys = ON');
    file.pragma('secure_delete = ON'); // a deleted message's pages are zeroed, not left for a disk image
    dialect = new SqliteDialect({ database: file });
  }
  const db = new Kysely<Tables>({ dialect });
  const { error, results } = await new Migrator({
    db,
    provider: { getMigrations: async () => migrations(kind) },
  }).migrateToLatest();
  if (error) {
    await db.destroy();
    const failed = results?.find((r) => r.status === 'Error')?.migrationName;
    throw new Error(`database migration${failed ? ` ${failed}` : ''} failed: ${(error as Error).message}`);
  }
  const store = new KyselyStore(
    db,
    kind,
    file,
    {
      roomBytes: o.roomBytes ?? STORE_DEFAULTS.roomBytes,
      totalBytes: o.totalBytes ?? STORE_DEFAULTS.totalBytes,
    },
    o.clock,
  );
  await store.recount();
  return store;
}

/** The data directory 0700 when we make it, the database and its WAL and shared-memory files 0600:
 * ciphertext and verifiers are nobody else's to read. SQLite gives the -wal and -shm files the
 * database file's mode, so the file is made 0600 before SQLite first opens it. */
function private_(path: string): void {
  const dir = dirname(path);
  if (!existsSync(dir)) mkdirSync(dir, { recursive: true, mode: 0o700 });
  closeSync(openSync(path, 'a', 0o600));
  for (const f of [path, `${path}-wal`, `${path}-shm`]) if (existsSync(f)) chmodSync(f, 0o600);
}

type Batch = { room: string; clientId: string; body: string }[];

class KyselyStore implements Store {
  used = 0;
  private failedAt = 0;
  private counted = 0;

  constructor(
    private db: Kysely<Tables>,
    readonly kind: 'sqlite' | 'postgres',
    /** SQLite: the file itself. Writes go to it directly, in better-sqlite3's transactions, which roll
     * back only a transaction still open and rethrow the error that ended it (through Kysely, a
     * SQLITE_FULL that had already rolled back surfaced as "cannot rollback - no transaction is active"). */
    private file: Database.Database | undefined,
    private caps: { roomBytes: number; totalBytes: number },
    private clock: () => number = Date.now,
  ) {
    if (file) this.prepare(file);
  }

  get sqlite(): Database.Database | undefined {
    return this.file;
  }

  get writable(): boolean {
    return !this.failedAt || Date.now() - this.failedAt > 60_000;
  }

  /** Re-read the total (other processes write too, on PostgreSQL; a prune frees space). */
  async recount(): Promise<void> {
    const r = await this.db
      .selectFrom('rooms')
      .select(sql<string | number | null>`SUM(bytes)`.as('n'))
      .executeTakeFirst();
    this.used = Number(r?.n ?? 0);
    this.counted = Date.now();
  }

  /** Run a write, note whether it failed, and name a full disk. */
  private async write<T>(f: () => Promise<T> | T): Promise<T> {
    try {
      const r = await f();
      this.failedAt = 0;
      return r;
    } catch (e) {
      this.failedAt = Date.now();
      throw named(e);
    }
  }

  private sq!: {
    room: Database.Statement;
    had: Database.Statement;
    insert: Database.Statement;
    bump: Database.Statement;
    append: (batch: Batch, now: number) => Append[];
    delete: (id: string) => boolean;
    addSeat: (room: string, verifier: string, now: number) => 'ok' | 'full' | 'gone';
    prune: (before: number) => string[];
  };

  private prepare(f: Database.Database): void {
    const room = f.prepare('SELECT last_seq, bytes FROM rooms WHERE id = ?');
    const had = f.prepare('SELECT seq, created_at FROM messages WHERE room_id = ? AND client_id = ?');
    const insert = f.prepare(
      'INSERT INTO messages (room_id, seq, client_id, body, created_at) VALUES (?, ?, ?, ?, ?)',
    );
    const bump = f.prepare('UPDATE rooms SET last_seq = ?, bytes = bytes + ?, active_at = ? WHERE id = ?');
    const delMessages = f.prepare('DELETE FROM messages WHERE room_id = ?');
    const delSeats = f.prepare('DELETE FROM seats WHERE room_id = ?');
    const delRoom = f.prepare('DELETE FROM rooms WHERE id = ?');
    const idle = f.prepare('SELECT id FROM rooms WHERE active_at < ?').pluck();
    const seatsOf = f.prepare('SELECT verifier FROM seats WHERE room_id = ?').pluck();
    const addSeat = f.prepare('INSERT INTO seats (room_id, verifier, created_at) VALUES (?, ?, ?)');
    const { roomBytes } = this.caps;
    this.sq = {
      room,
      had,
      insert,
      bump,
      append: f.transaction((batch: Batch, now: number) =>
        batch.map((b): Append => {
          const r = room.get(b.room) as { last_seq: number; bytes: number } | undefined;
          if (!r) return { gone: true };
          const h = had.get(b.room, b.clientId) as { seq: number; created_at: number } | undefined;
          if (h) return { seq: h.seq, fresh: false, t: Number(h.created_at) };
          if (r.last_seq >= LIMITS.messagesPerRoom) return { full: 'messages' };
          if (r.bytes + b.body.length > roomBytes) return { full: 'bytes' };
          const seq = r.last_seq + 1;
          insert.run(b.room, seq, b.clientId, b.body, now);
          bump.run(seq, b.body.length, now, b.room);
          return { seq, fresh: true, t: now };
        }),
      ),
      delete: f.transaction((id: string) => {
        delMessages.run(id);
        delSeats.run(id);
        return delRoom.run(id).changes > 0;
      }),
      addSeat: f.transaction((id: string, verifier: string, now: number) => {
        if (!room.get(id)) return 'gone';
        const have = seatsOf.all(id) as string[];
        if (have.includes(verifier)) return 'ok';
        if (have.length >= SEATS_PER_ROOM) return 'full';
        addSeat.run(id, verifier, now);
        return 'ok';
      }),
      prune: f.transaction((before: number) => {
        const ids = idle.all(before) as string[];
        for (const id of ids) {
          delMessages.run(id);
          delSeats.run(id);
          delRoom.run(id);
        }
        return ids;
      }),
    };
  }

  async createRoom(id: string, verifier: string): Promise<void> {
    const now = Date.now();
    await this.write(() =>
      this.db.insertInto('rooms').values({ id, verifier, created_at: now, active_at: now }).execute(),
    );
  }

  async verifier(id: string): Promise<string | undefined> {
    return (await this.db.selectFrom('rooms').select('verifier').where('id', '=', id).executeTakeFirst())
      ?.verifier;
  }

  async touch(room: string): Promise<void> {
    const now = Date.now();
    await this.write(() =>
      this.db
        .updateTable('rooms')
        .set({ active_at: now })
        .where('id', '=', room)
        .where('active_at', '<', now - 3_600_000)
        .execute(),
    );
  }

  // Group commit: appends that arrive together (one turn of the event loop) share one transaction, so
  // one fsync and, on PostgreSQL, one round trip; under load that is most of the cost. One batch is in
  // flight at a time; what arrives meanwhile forms the next, so batches grow with the load. Inside a
  // batch each append is still "check, number, insert" in order, so a resend never duplicates.
  private queue: {
    room: string;
    clientId: string;
    body: string;
    done: (r: Append) => void;
    fail: (e: unknown) => void;
  }[] = [];
  private flushing = false;

  append(room: string, clientId: string, body: string): Promise<Append> {
    // the server's quota, counted in memory: a resend of a stored message is refused too, and the
    // client keeps it pending, which loses nothing
    if (this.used + body.length > this.caps.totalBytes) return Promise.resolve({ quota: true });
    return new Promise((done, fail) => {
      this.queue.push({ room, clientId, body, done, fail });
      if (this.flushing) return;
      this.flushing = true;
      setImmediate(() => void this.flush());
    });
  }

  private async flush(): Promise<void> {
    while (this.queue.length) {
      const batch = this.queue.splice(0, 500);
      try {
        const results = await this.write(() =>
          this.kind === 'postgres' ? this.appendPg(batch) : this.sq.append(batch, this.clock()),
        );
        batch.forEach((b, i) => {
          const r = results[i]!;
          if ('fresh' in r && r.fresh) this.used += b.body.length;
          b.done(r);
        });
      } catch (e) {
        batch.forEach((b) => b.fail(e));
      }
    }
    this.flushing = false;
    if (this.kind === 'postgres' && Date.now() - this.counted > 30_000) void this.recount().catch(() => {});
  }

  // One call of steady_append_bytes (migration 004). Two resends of one message racing from two
  // processes both pass its "had" check; the unique (room, client id) index stops the second batch, and
  // its retry finds the first.
  private async appendPg(batch: Batch, retry = true): Promise<Append[]> {
    try {
      const now = this.clock();
      const { rows } = await sql<{
        o_i: number;
        o_had: number | null;
        o_seq: number | null;
        o_last: number | null;
        o_full: 'messages' | 'bytes' | null;
      }>`
        SELECT * FROM steady_append_bytes(${batch.map((b) => b.room)}::text[], ${batch.map((b) => b.clientId)}::text[],
          ${batch.map((b) => b.body)}::text[], ${now}, ${LIMITS.messagesPerRoom}, ${this.caps.roomBytes})`.execute(
        this.db,
      );
      const out: Append[] = new Array(batch.length);
      for (const r of rows) {
        out[r.o_i - 1] =
          r.o_had !== null
            ? { seq: r.o_had, fresh: false, t: await this.storedAt(batch[r.o_i - 1]!.room, r.o_had) }
            : r.o_seq !== null
              ? { seq: r.o_seq, fresh: true, t: now }
              : r.o_full !== null
                ? { full: r.o_full }
                : { gone: true };
      }
      return out;
    } catch (e) {
      if (retry && (e as { code?: string }).code === '23505') return this.appendPg(batch, false);
      throw e;
    }
  }

  /** When a message already stored was stored (a resend's ack says the first time, not now). */
  private async storedAt(room: string, seq: number): Promise<number> {
    const r = await this.db
      .selectFrom('messages')
      .select('created_at')
      .where('room_id', '=', room)
      .where('seq', '=', seq)
      .executeTakeFirst();
    return Number(r?.created_at ?? 0);
  }

  async since(room: string, seq: number): Promise<Stored[]> {
    return (await this.page(room, seq, Number.POSITIVE_INFINITY)).messages;
  }

  async page(room: string, seq: number, chars: number): Promise<{ messages: Stored[]; more: boolean }> {
    // first the sizes (small rows, at most a room's 5,000), then the bodies up to the budget
    const sizes = await this.db
      .selectFrom('messages')
      .select(['seq', sql<number>`LENGTH(body)`.as('n')])
      .where('room_id', '=', room)
      .where('seq', '>', seq)
      .orderBy('seq')
      .execute();
    if (!sizes.length) return { messages: [], more: false };
    let last = sizes[0]!.seq;
    let total = 0;
    for (const s of sizes) {
      total += Number(s.n);
      if (total > chars && s !== sizes[0]) break;
      last = s.seq;
    }
    const rows = await this.db
      .selectFrom('messages')
      .select(['seq', 'client_id', 'body', 'created_at'])
      .where('room_id', '=', room)
      .where('seq', '>', seq)
      .where('seq', '<=', last)
      .orderBy('seq')
      .execute();
    return {
      messages: rows.map((r) => ({ seq: r.seq, id: r.client_id, body: r.body, t: Number(r.created_at) })),
      more: last < sizes.at(-1)!.seq,
    };
  }

  async deleteRoom(id: string): Promise<boolean> {
    const gone = await this.write(async () => {
      if (this.file) {
        const r = this.sq.delete(id);
        // the WAL still holds the deleted pages' old contents until a checkpoint: fold it into the
        // database (whose freed pages secure_delete zeroes) and empty it
        this.file.pragma('wal_checkpoint(TRUNCATE)');
        return r;
      }
      return this.db.transaction().execute(async (tx) => {
        await tx.deleteFrom('messages').where('room_id', '=', id).execute();
        await tx.deleteFrom('seats').where('room_id', '=', id).execute();
        const r = await tx.deleteFrom('rooms').where('id', '=', id).executeTakeFirst();
        return Number(r.numDeletedRows) > 0;
      });
    });
    if (gone) await this.recount();
    return gone;
  }

  async addSeat(room: string, verifier: string): Promise<'ok' | 'full' | 'gone'> {
    if (this.file) return this.write(() => this.sq.addSeat(room, verifier, Date.now()));
    return this.write(() =>
      this.db.transaction().execute(async (tx) => {
        // the room's row locked, so two seats asked for at once cannot both be the second
        const r = await tx
          .selectFrom('rooms')
          .select('id')
          .where('id', '=', room)
          .forUpdate()
          .executeTakeFirst();
        if (!r) return 'gone';
        const have = (
          await tx.selectFrom('seats').select('verifier').where('room_id', '=', room).execute()
        ).map((x) => x.verifier);
        if (have.includes(verifier)) return 'ok';
        if (have.length >= SEATS_PER_ROOM) return 'full';
        await tx.insertInto('seats').values({ room_id: room, verifier, created_at: Date.now() }).execute();
        return 'ok';
      }),
    );
  }

  async seats(room: string): Promise<string[]> {
    return (await this.db.selectFrom('seats').select('verifier').where('room_id', '=', room).execute()).map(
      (x) => x.verifier,
    );
  }

  async deletion(room: string): Promise<Deletion | null> {
    const r = await this.db
      .selectFrom('rooms')
      .select(['delete_at', 'delete_by'])
      .where('id', '=', room)
      .executeTakeFirst();
    return r?.delete_at != null && r.delete_by ? { at: Number(r.delete_at), by: r.delete_by } : null;
  }

  async setDeletion(room: string, d: Deletion | null): Promise<void> {
    await this.write(() =>
      this.db
        .updateTable('rooms')
        .set({ delete_at: d?.at ?? null, delete_by: d?.by ?? null })
        .where('id', '=', room)
        .execute(),
    );
  }

  async dueDeletions(now: number): Promise<string[]> {
    return (
      await this.db
        .selectFrom('rooms')
        .select('id')
        .where('delete_at', 'is not', null)
        .where('delete_at', '<=', now)
        .execute()
    ).map((r) => r.id);
  }

  async prune(idleMs: number, now = Date.now()): Promise<string[]> {
    const gone: string[] = [];
    // SQLite: one synchronous transaction, so no hello or write slips between the choice and the delete
    if (this.file) gone.push(...(await this.write(() => this.sq.prune(now - idleMs))));
    const idle = this.file
      ? []
      : await this.db
          .selectFrom('rooms')
          .select('id')
          .where('active_at', '<', now - idleMs)
          .execute();
    for (const { id } of idle) {
      const ok = await this.write(async () => {
        return this.db.transaction().execute(async (tx) => {
          // only if it is still idle: the conditional delete takes the room's row, and its messages and seats
          // go with it (ON DELETE CASCADE); a write racing it finds the room gone, never a room without them
          const r = await tx
            .deleteFrom('rooms')
            .where('id', '=', id)
            .where('active_at', '<', now - idleMs)
            .executeTakeFirst();
          return Number(r.numDeletedRows) > 0;
        });
      });
      if (ok) gone.push(id);
    }
    if (gone.length) {
      if (this.file) this.file.pragma('wal_checkpoint(TRUNCATE)');
      await this.recount();
    }
    return gone;
  }

  async ping(): Promise<boolean> {
    try {
      await sql`SELECT 1`.execute(this.db);
      return true;
    } catch {
      return false;
    }
  }

  close(): Promise<void> {
    return this.db.destroy();
  }
}

/** The SQLite handle under a store (undefined on PostgreSQL): for the admin tools and the disk-full test. */
export const sqliteFile = (s: Store): Database.Database | undefined =>
  s instanceof KyselyStore ? s.sqlite : undefined;
