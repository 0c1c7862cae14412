// Where rooms and their ciphertext live: SQLite by default (one file, one process), PostgreSQL when
// STEADY_DATABASE_URL is a postgres:// URL (several processes share rooms). One Kysely data-access layer
// and one set of migrations serve both. The server keeps only what it must to relay and restore: opaque
// bodies, the sender's message id, an order, and the SHA-256 of the room's auth token.

import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import pg from 'pg';
import {
  Kysely,
  Migrator,
  PostgresDialect,
  SqliteDialect,
  sql,
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
    /** A member asked to delete: when it happens (unless kept), and which seat asked. */
    delete_at: number | null;
    delete_by: string | null;
  };
  /** The SHA-256 of each member's seat token: at most two per room. Only a member may delete. */
  seats: { room_id: string; verifier: string; created_at: number };
  messages: { room_id: string; seq: number; client_id: string; body: string; created_at: number };
}

export type Append = { seq: number; fresh: boolean } | { full: true } | { gone: true };

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
  deleteRoom(id: string): Promise<boolean>;
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
const migrations = (kind: 'sqlite' | 'postgres'): Record<string, Migration> => ({
  '001_rooms_messages': {
    async up(db: Kysely<any>) {
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
    async up(db: Kysely<any>) {
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
    async up(db: Kysely<any>) {
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
  // Seats and deletion with a grace period: the server learns only hashes of per-person seat tokens.
  '004_seats_deletion': {
    async up(db: Kysely<any>) {
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

export const isPostgres = (url: string): boolean => /^postgres(ql)?:\/\//.test(url);

/** Open (and migrate) the store: a postgres:// URL, or a SQLite file path (":memory:" for a throwaway). */
export async function openStore(where: string, o: { pool?: number } = {}): Promise<Store> {
  const kind = isPostgres(where) ? 'postgres' : 'sqlite';
  let dialect;
  if (kind === 'postgres') {
    dialect = new PostgresDialect({ pool: new pg.Pool({ connectionString: where, max: o.pool ?? 4 }) });
  } else {
    if (where !== ':memory:') mkdirSync(dirname(where), { recursive: true });
    const file = new Database(where);
    file.pragma('journal_mode = WAL');
    file.pragma('synchronous = FULL'); // an acknowledged message survives a crash
    file.pragma('foreign_keys = ON');
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
  return new KyselyStore(db, kind);
}

async function appendOne(tx: Kysely<Tables>, room: string, clientId: string, body: string): Promise<Append> {
  const r = await tx.selectFrom('rooms').select('last_seq').where('id', '=', room).executeTakeFirst();
  if (!r) return { gone: true };
  const had = await tx
    .selectFrom('messages')
    .select('seq')
    .where('room_id', '=', room)
    .where('client_id', '=', clientId)
    .executeTakeFirst();
  if (had) return { seq: had.seq, fresh: false };
  if (r.last_seq >= LIMITS.messagesPerRoom) return { full: true };
  const seq = r.last_seq + 1;
  await tx
    .insertInto('messages')
    .values({ room_id: room, seq, client_id: clientId, body, created_at: Date.now() })
    .execute();
  await tx.updateTable('rooms').set({ last_seq: seq }).where('id', '=', room).execute();
  return { seq, fresh: true };
}

type Batch = { room: string; clientId: string; body: string }[];

class KyselyStore implements Store {
  constructor(
    private db: Kysely<Tables>,
    readonly kind: 'sqlite' | 'postgres',
  ) {}

  async createRoom(id: string, verifier: string): Promise<void> {
    await this.db.insertInto('rooms').values({ id, verifier, created_at: Date.now() }).execute();
  }

  async verifier(id: string): Promise<string | undefined> {
    return (await this.db.selectFrom('rooms').select('verifier').where('id', '=', id).executeTakeFirst())
      ?.verifier;
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
        const results =
          this.kind === 'postgres' ? await this.appendPg(batch) : await this.appendSqlite(batch);
        batch.forEach((b, i) => b.done(results[i]!));
      } catch (e) {
        batch.forEach((b) => b.fail(e));
      }
    }
    this.flushing = false;
  }

  private appendSqlite(batch: Batch): Promise<Append[]> {
    return this.db.transaction().execute(async (tx) => {
      const out: Append[] = [];
      for (const b of batch) out.push(await appendOne(tx, b.room, b.clientId, b.body));
      return out;
    });
  }

  // One call of steady_append_many (migration 003). Two resends of one message racing from two
  // processes both pass its "had" check; the unique (room, client id) index stops the second batch, and
  // its retry finds the first.
  private async appendPg(batch: Batch, retry = true): Promise<Append[]> {
    try {
      const { rows } = await sql<{
        o_i: number;
        o_had: number | null;
        o_seq: number | null;
        o_last: number | null;
      }>`
        SELECT * FROM steady_append_many(${batch.map((b) => b.room)}::text[], ${batch.map((b) => b.clientId)}::text[],
          ${batch.map((b) => b.body)}::text[], ${Date.now()}, ${LIMITS.messagesPerRoom})`.execute(this.db);
      const out: Append[] = new Array(batch.length);
      for (const r of rows) {
        out[r.o_i - 1] =
          r.o_had !== null
            ? { seq: r.o_had, fresh: false }
            : r.o_seq !== null
              ? { seq: r.o_seq, fresh: true }
              : r.o_last === null
                ? { gone: true }
                : { full: true };
      }
      return out;
    } catch (e) {
      if (retry && (e as { code?: string }).code === '23505') return this.appendPg(batch, false);
      throw e;
    }
  }

  async since(room: string, seq: number): Promise<Stored[]> {
    const rows = await this.db
      .selectFrom('messages')
      .select(['seq', 'client_id', 'body'])
      .where('room_id', '=', room)
      .where('seq', '>', seq)
      .orderBy('seq')
      .execute();
    return rows.map((r) => ({ seq: r.seq, id: r.client_id, body: r.body }));
  }

  async addSeat(room: string, verifier: string): Promise<'ok' | 'full' | 'gone'> {
    return this.db.transaction().execute(async (tx) => {
      const r = await tx.selectFrom('rooms').select('id').where('id', '=', room).executeTakeFirst();
      if (!r) return 'gone';
      const have = (
        await tx.selectFrom('seats').select('verifier').where('room_id', '=', room).execute()
      ).map((x) => x.verifier);
      if (have.includes(verifier)) return 'ok';
      if (have.length >= SEATS_PER_ROOM) return 'full';
      await tx.insertInto('seats').values({ room_id: room, verifier, created_at: Date.now() }).execute();
      return 'ok';
    });
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
    await this.db
      .updateTable('rooms')
      .set({ delete_at: d?.at ?? null, delete_by: d?.by ?? null })
      .where('id', '=', room)
      .execute();
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

  deleteRoom(id: string): Promise<boolean> {
    return this.db.transaction().execute(async (tx) => {
      await tx.deleteFrom('messages').where('room_id', '=', id).execute();
      await tx.deleteFrom('seats').where('room_id', '=', id).execute();
      const r = await tx.deleteFrom('rooms').where('id', '=', id).executeTakeFirst();
      return Number(r.numDeletedRows) > 0;
    });
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
