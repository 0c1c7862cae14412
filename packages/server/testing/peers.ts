// Test support: real server processes and clients that behave like the web app's (pending until acked,
// resent after every reconnect, position kept across reconnects).
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import WebSocket from 'ws';
import type { ServerMessage, Stored } from '@steady/protocol';

export { freePort } from './services.ts';

const main = fileURLToPath(new URL('../src/main.ts', import.meta.url));
export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export const keys = () => {
  const token = randomBytes(32).toString('hex');
  return { token, verifier: createHash('sha256').update(token).digest('hex') };
};

/** `npm start`'s server as a child process, rate limits off; `env` picks its database and fan-out. */
export async function up(
  port: number,
  env: Record<string, string>,
  nodeArgs: string[] = [],
): Promise<ChildProcess> {
  const child = spawn(process.execPath, [...nodeArgs, '--import', 'tsx', main], {
    env: { ...process.env, PORT: String(port), STEADY_RATE: '0', ...env },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let err = '';
  child.stderr!.on('data', (d) => (err += d));
  for (let i = 0; i < 200; i++) {
    try {
      if ((await fetch(`http://127.0.0.1:${port}/api/health`)).ok) return child;
    } catch {}
    if (child.exitCode !== null) break;
    await sleep(50);
  }
  child.kill('SIGKILL');
  throw new Error(`server did not start: ${err}`);
}

export async function createRoom(port: number, verifier: string): Promise<string> {
  const r = await fetch(`http://127.0.0.1:${port}/api/rooms`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ verifier }),
  });
  assert.equal(r.status, 201);
  return ((await r.json()) as { id: string }).id;
}

/** A client like the web app's, recording what it was given so a test can prove exactly-once delivery. */
export class Peer {
  pending = new Map<string, string>();
  acked = new Set<string>();
  /** Every message this client holds, by sequence number: welcomes, relays and its own acks. */
  has = new Map<number, string>();
  /** Relayed or welcomed frames that were not strictly after the last one on the same connection. */
  disorder = 0;
  /** Connections opened: a test that expects the sockets to ride out a fault checks it stays 1. */
  connects = 0;
  ws: WebSocket | null = null;
  since = 0;
  stopped = false;
  constructor(
    readonly name: string,
    readonly url: string,
    readonly room: string,
    readonly token: string,
  ) {}
  connect(): void {
    if (this.stopped) return;
    const ws = new WebSocket(this.url);
    this.ws = ws;
    this.connects++;
    let last = -1;
    const hold = (m: Stored) => {
      if (m.seq <= last) this.disorder++;
      last = m.seq;
      if (this.has.has(m.seq) && this.has.get(m.seq) !== m.id)
        throw new Error(`seq ${m.seq} given as ${m.id} and ${this.has.get(m.seq)}`);
      this.has.set(m.seq, m.id);
      this.since = Math.max(this.since, m.seq);
    };
    ws.on('open', () =>
      ws.send(JSON.stringify({ type: 'hello', room: this.room, auth: this.token, since: this.since })),
    );
    ws.on('message', (d) => {
      const m = JSON.parse(String(d)) as ServerMessage;
      if (m.type === 'welcome') {
        last = this.since;
        m.messages.forEach(hold);
        for (const [id, body] of this.pending) ws.send(JSON.stringify({ type: 'send', id, body }));
      } else if (m.type === 'ack') {
        this.pending.delete(m.id);
        this.acked.add(m.id);
        this.has.set(m.seq, m.id);
      } else if (m.type === 'msg') hold(m);
    });
    ws.on('error', () => {});
    ws.on('close', () => {
      if (!this.stopped) setTimeout(() => this.connect(), 50);
    });
  }
  say(n: number): void {
    const id = `${this.name}-${String(n).padStart(6, '0')}`;
    const body = `ciphertext-${randomBytes(6).toString('base64url')}`;
    this.pending.set(id, body);
    if (this.ws?.readyState === WebSocket.OPEN) this.ws.send(JSON.stringify({ type: 'send', id, body }));
  }
  stop(): void {
    this.stopped = true;
    this.ws?.terminate();
  }
}

/** Everything a room holds, read by a fresh client. */
export async function readAll(url: string, room: string, token: string): Promise<Stored[]> {
  const ws = new WebSocket(url);
  await new Promise((r, j) => {
    ws.once('open', r);
    ws.once('error', j);
  });
  ws.send(JSON.stringify({ type: 'hello', room, auth: token, since: 0 }));
  const m = await new Promise<ServerMessage>((r) => ws.once('message', (d) => r(JSON.parse(String(d)))));
  ws.close();
  assert.equal(m.type, 'welcome');
  return (m as Extract<ServerMessage, { type: 'welcome' }>).messages;
}

/** No acknowledged message lost or stored twice, numbers without gaps, every message said stored once. */
export function assertLog(log: Stored[], peers: Peer[], said: number): void {
  const ids = log.map((m) => m.id);
  assert.equal(new Set(ids).size, ids.length, 'no message stored twice');
  assert.deepEqual(
    log.map((m) => m.seq),
    log.map((_, i) => i + 1),
    'sequence numbers have no gaps',
  );
  const stored = new Set(ids);
  for (const p of peers) for (const id of p.acked) assert.ok(stored.has(id), `acknowledged ${id} was lost`);
  assert.equal(ids.length, said, 'every message said is stored exactly once');
}
