// SQLite storage for rooms and their ciphertext. The server keeps only what it must to relay and
// restore: opaque bodies, the sender's message id, an order, and the SHA-256 of the room's auth token.

import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { LIMITS, type Stored } from '@steady/protocol';

export class Store {
  private db: Database.Database;
  private q;

  constructor(path: string) {
    if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
    this.db = new Database(path);
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('synchronous = FULL'); // an acknowledged message survives a crash
    this.db.exec(`
      CREATE TABLE IF NOT EXISTS rooms (id TEXT PRIMARY KEY, verifier TEXT NOT NULL, created_at INTEGER NOT NULL);
      CREATE TABLE IF NOT EXISTS messages (
        room_id TEXT NOT NULL REFERENCES rooms(id) ON DELETE CASCADE,
        seq INTEGER NOT NULL,
        client_id TEXT NOT NULL,
        body TEXT NOT NULL,
        created_at INTEGER NOT NULL,
        PRIMARY KEY (room_id, seq),
        UNIQUE (room_id, client_id)
      );
    `);
    this.db.pragma('foreign_keys = ON');
    this.q = {
      createRoom: this.db.prepare('INSERT INTO rooms (id, verifier, created_at) VALUES (?, ?, ?)'),
      room: this.db.prepare<[string], { verifier: string }>('SELECT verifier FROM rooms WHERE id = ?'),
      byClient: this.db.prepare<[string, string], { seq: number }>('SELECT seq FROM messages WHERE room_id = ? AND client_id = ?'),
      last: this.db.prepare<[string], { seq: number | null; n: number }>('SELECT MAX(seq) AS seq, COUNT(*) AS n FROM messages WHERE room_id = ?'),
      insert: this.db.prepare('INSERT INTO messages (room_id, seq, client_id, body, created_at) VALUES (?, ?, ?, ?, ?)'),
      since: this.db.prepare<[string, number], { seq: number; client_id: string; body: string }>('SELECT seq, client_id, body FROM messages WHERE room_id = ? AND seq > ? ORDER BY seq'),
      deleteRoom: this.db.prepare('DELETE FROM rooms WHERE id = ?'),
      deleteMessages: this.db.prepare('DELETE FROM messages WHERE room_id = ?'),
    };
  }

  createRoom(id: string, verifier: string): void {
    this.q.createRoom.run(id, verifier, Date.now());
  }

  verifier(id: string): string | undefined {
    return this.q.room.get(id)?.verifier;
  }

  /**
   * Store one message unless its client id is already stored; either way return its sequence number.
   * The transaction makes "check, number, insert" one step, so a resend never duplicates.
   */
  append = (room: string, clientId: string, body: string): { seq: number; fresh: boolean } | { full: true } =>
    this.db.transaction(() => {
      const had = this.q.byClient.get(room, clientId);
      if (had) return { seq: had.seq, fresh: false };
      const last = this.q.last.get(room)!;
      if (last.n >= LIMITS.messagesPerRoom) return { full: true as const };
      const seq = (last.seq ?? 0) + 1;
      this.q.insert.run(room, seq, clientId, body, Date.now());
      return { seq, fresh: true };
    })();

  since(room: string, seq: number): Stored[] {
    return this.q.since.all(room, seq).map((r) => ({ seq: r.seq, id: r.client_id, body: r.body }));
  }

  deleteRoom(id: string): boolean {
    return this.db.transaction(() => {
      this.q.deleteMessages.run(id);
      return this.q.deleteRoom.run(id).changes > 0;
    })();
  }

  close(): void {
    this.db.close();
  }
}
