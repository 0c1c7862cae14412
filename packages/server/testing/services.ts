// Service starters shared by the server tests and `npm run load` (one module, not a test helper the load
// script reaches into): private PostgreSQL and Redis servers on loopback: each run
// gets its own data directory and free ports, and everything is stopped when the process exits. They
// come from Debian's packages (postgresql, redis-server); `.ci/run` installs them when missing.

import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';

const children = new Set<ChildProcess>();
const killAll = () => {
  for (const c of children)
    if (c.pid)
      try {
        process.kill(-c.pid, 'SIGKILL');
      } catch {
        /* gone */
      }
};
process.on('exit', killAll);

export async function freePort(): Promise<number> {
  return new Promise((ok, fail) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => ok(port));
    });
    s.on('error', fail);
  });
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function pgBin(): string {
  const root = '/usr/lib/postgresql';
  const versions = existsSync(root)
    ? readdirSync(root)
        .filter((v) => existsSync(join(root, v, 'bin', 'postgres')))
        .sort((a, b) => Number(b) - Number(a))
    : [];
  if (!versions.length)
    throw new Error('PostgreSQL is not installed: apt-get install postgresql (.ci/run does this)');
  return join(root, versions[0]!, 'bin');
}

// PostgreSQL refuses to run as root; as root we run it as Debian's postgres user.
const asPg = (cmd: string, args: string[]): [string, string[]] =>
  process.getuid?.() === 0 ? ['runuser', ['-u', 'postgres', '--', cmd, ...args]] : [cmd, args];

export interface Postgres {
  url: string;
  /** A new empty database on this server; returns its URL. */
  database(name?: string): Promise<string>;
  stop(): Promise<void>;
}

/** initdb + postgres on a free loopback port. `durable: false` turns fsync off (tests only). */
export async function startPostgres(o: { durable?: boolean } = {}): Promise<Postgres> {
  const bin = pgBin();
  const dir = mkdtempSync(join(tmpdir(), 'steady-pg-'));
  if (process.getuid?.() === 0)
    chownSync(
      dir,
      Number(spawnSync('id', ['-u', 'postgres']).stdout),
      Number(spawnSync('id', ['-g', 'postgres']).stdout),
    );
  const [ic, ia] = asPg(join(bin, 'initdb'), [
    '-D',
    join(dir, 'data'),
    '-U',
    'steady',
    '-A',
    'trust',
    '--no-sync',
    '-E',
    'UTF8',
  ]);
  const init = spawnSync(ic, ia, { encoding: 'utf8' });
  if (init.status !== 0) throw new Error(`initdb failed: ${init.stderr || init.stdout}`);
  const port = await freePort();
  const settings = [
    '-c',
    'listen_addresses=127.0.0.1',
    '-c',
    `unix_socket_directories=${dir}`,
    '-c',
    'max_connections=200',
  ];
  if (o.durable === false)
    settings.push('-c', 'fsync=off', '-c', 'synchronous_commit=off', '-c', 'full_page_writes=off');
  const [pc, pa] = asPg(join(bin, 'postgres'), ['-D', join(dir, 'data'), '-p', String(port), ...settings]);
  const child = spawn(pc, pa, { stdio: ['ignore', 'ignore', 'pipe'], detached: true });
  children.add(child);
  let log = '';
  child.stderr!.on('data', (d) => (log = (log + d).slice(-4000)));
  const url = `postgres://steady@127.0.0.1:${port}/postgres`;
  for (let i = 0; ; i++) {
    const c = new pg.Client({ connectionString: url });
    try {
      await c.connect();
      await c.end();
      break;
    } catch {
      await c.end().catch(() => {});
      if (i > 100 || child.exitCode !== null) throw new Error(`PostgreSQL did not start: ${log}`);
      await sleep(100);
    }
  }
  let n = 0;
  return {
    url,
    async database(name = `steady_${process.pid}_${++n}`) {
      const c = new pg.Client({ connectionString: url });
      await c.connect();
      await c.query(`CREATE DATABASE ${name}`);
      await c.end();
      return url.replace(/\/postgres$/, `/${name}`);
    },
    async stop() {
      await stopChild(child, 'SIGINT'); // fast shutdown
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export interface RedisServer {
  url: string;
  /** SIGKILL: the server is gone without a goodbye, as in a crash. */
  kill(): Promise<void>;
  /** Start again on the same port. */
  start(): Promise<void>;
  stop(): Promise<void>;
}

export async function startRedis(): Promise<RedisServer> {
  if (spawnSync('redis-server', ['--version']).status !== 0)
    throw new Error('Redis is not installed: apt-get install redis-server (.ci/run does this)');
  const port = await freePort();
  let child: ChildProcess | null = null;
  const up = async () => {
    child = spawn(
      'redis-server',
      [
        '--port',
        String(port),
        '--bind',
        '127.0.0.1',
        '--save',
        '',
        '--appendonly',
        'no',
        '--protected-mode',
        'yes',
      ],
      { stdio: 'ignore', detached: true },
    );
    children.add(child);
    for (let i = 0; ; i++) {
      if (spawnSync('redis-cli', ['-p', String(port), 'ping'], { encoding: 'utf8' }).stdout.trim() === 'PONG')
        return;
      if (i > 100) throw new Error('Redis did not start');
      await sleep(50);
    }
  };
  await up();
  return {
    url: `redis://127.0.0.1:${port}`,
    kill: () => stopChild(child!, 'SIGKILL'),
    start: up,
    stop: () => stopChild(child!, 'SIGTERM'),
  };
}

async function stopChild(child: ChildProcess, sig: NodeJS.Signals): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const gone = new Promise((r) => child.once('exit', r));
  try {
    process.kill(-child.pid!, sig);
  } catch {
    return;
  }
  await gone;
  children.delete(child);
}
