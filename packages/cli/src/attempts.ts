// Practice attempts on this device: a SQLite file in the user's data directory, private to them.
import { chmodSync, existsSync, mkdirSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import Database from 'better-sqlite3';
import type { Attempt } from '@steady/practice';

/** STEADY_HOME, else the platform's per-user data directory. */
export function steadyHome(env: NodeJS.ProcessEnv = process.env, platform = process.platform): string {
  if (env.STEADY_HOME) return env.STEADY_HOME;
  if (platform === 'win32') return join(env.APPDATA ?? join(homedir(), 'AppData', 'Roaming'), 'steady');
  if (platform === 'darwin') return join(homedir(), 'Library', 'Application Support', 'steady');
  return join(env.XDG_DATA_HOME || join(homedir(), '.local', 'share'), 'steady');
}

export class Attempts {
  private db: Database.Database;
  readonly file: string;

  constructor(file = join(steadyHome(), 'practice.db')) {
    this.file = file;
    const fresh = !existsSync(file);
    mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
    this.db = new Database(file);
    if (fresh && process.platform !== 'win32') chmodSync(file, 0o600); // replies are as private as the room
    this.db.pragma('journal_mode = WAL');
    this.db.exec(`CREATE TABLE IF NOT EXISTS attempts (
      id TEXT PRIMARY KEY, at TEXT NOT NULL, scenario TEXT NOT NULL, step INTEGER NOT NULL,
      message TEXT NOT NULL, reply TEXT NOT NULL, steadiness INTEGER NOT NULL, branch TEXT NOT NULL, moves TEXT NOT NULL);
      CREATE INDEX IF NOT EXISTS attempts_at ON attempts (at);`);
  }

  add(a: Attempt): void {
    this.db
      .prepare(
        'INSERT INTO attempts (id, at, scenario, step, message, reply, steadiness, branch, moves) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)',
      )
      .run(
        a.id,
        a.at,
        a.scenario,
        a.step,
        a.message,
        a.reply,
        a.steadiness,
        a.branch,
        JSON.stringify(a.moves),
      );
  }

  all(scenario?: string): Attempt[] {
    const rows = (
      scenario
        ? this.db.prepare('SELECT * FROM attempts WHERE scenario = ? ORDER BY at, rowid').all(scenario)
        : this.db.prepare('SELECT * FROM attempts ORDER BY at, rowid').all()
    ) as (Omit<Attempt, 'moves'> & { moves: string })[];
    return rows.map((r) => ({ ...r, moves: JSON.parse(r.moves) as Attempt['moves'] }));
  }

  /** Delete every attempt, or one scenario's; returns how many went. */
  delete(scenario?: string): number {
    const r = scenario
      ? this.db.prepare('DELETE FROM attempts WHERE scenario = ?').run(scenario)
      : this.db.prepare('DELETE FROM attempts').run();
    // deleted replies should not linger in free pages or in the write-ahead log
    this.db.exec('VACUUM');
    this.db.pragma('wal_checkpoint(TRUNCATE)');
    return r.changes;
  }

  close(): void {
    this.db.close();
  }
}
