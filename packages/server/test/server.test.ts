import { test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import Database from 'better-sqlite3';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import WebSocket from 'ws';
import type { ServerMessage } from '@steady/protocol';
import { buildServer } from '../src/index.ts';

const dbPath = join(mkdtempSync(join(tmpdir(), 'steady-server-')), 'rooms.db');
let base = '';
let close: () => Promise<void>;

before(async () => {
  const { app } = await buildServer({ db: dbPath });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const addr = app.server.address() as { port: number };
  base = `127.0.0.1:${addr.port}`;
  close = () => app.close();
});
after(() => close());

const auth = (): { token: string; verifier: string } => {
  const token = randomBytes(32).toString('hex');
  return { token, verifier: createHash('sha256').update(token).digest('hex') };
};

async function createRoom(verifier: string): Promise<string> {
  const r = await fetch(`http://${base}/api/rooms`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ verifier }),
  });
  assert.equal(r.status, 201);
  assert.match(r.headers.get('content-security-policy') ?? '', /default-src 'self'/);
  return ((await r.json()) as { id: string }).id;
}

/** A real WebSocket client that queues what it receives. */
async function client(): Promise<{
  ws: WebSocket;
  next: (type?: string) => Promise<ServerMessage>;
  send: (x: unknown) => void;
  inbox: ServerMessage[];
}> {
  const ws = new WebSocket(`ws://${base}/ws`);
  const inbox: ServerMessage[] = [];
  const waiters: (() => void)[] = [];
  ws.on('message', (d) => {
    inbox.push(JSON.parse(d.toString()));
    waiters.splice(0).forEach((w) => w());
  });
  await new Promise((r, j) => {
    ws.once('open', r);
    ws.once('error', j);
  });
  const next = async (type?: string): Promise<ServerMessage> => {
    for (;;) {
      const i = inbox.findIndex((m) => !type || m.type === type);
      if (i >= 0) return inbox.splice(i, 1)[0]!;
      await new Promise<void>((r, j) => {
        const t = setTimeout(() => j(new Error(`timed out waiting for ${type}`)), 3000);
        waiters.push(() => {
          clearTimeout(t);
          r();
        });
      });
    }
  };
  return { ws, next, send: (x) => ws.send(typeof x === 'string' ? x : JSON.stringify(x)), inbox };
}

test('two clients: a message is stored, acknowledged, relayed; a resend is not duplicated', async () => {
  const { token, verifier } = auth();
  const room = await createRoom(verifier);
  assert.match(room, /^[A-Za-z0-9_-]{22}$/);
  const a = await client();
  const b = await client();
  a.send({ type: 'hello', room, auth: token, since: 0 });
  b.send({ type: 'hello', room, auth: token, since: 0 });
  assert.deepEqual(await a.next('welcome'), { type: 'welcome', room, messages: [] });
  await b.next('welcome');
  a.send({ type: 'send', id: 'msg-000001', body: 'Y2lwaGVydGV4dA' });
  const ack = (await a.next('ack')) as { t: number };
  // `t`: when the server stored it, by its clock; the same for the sender, the other socket, a resend
  // and a later read (the floor times a time-out by it: packages/protocol/src/floor.ts)
  assert.ok(Math.abs(ack.t - Date.now()) < 60_000);
  assert.deepEqual(ack, { type: 'ack', id: 'msg-000001', seq: 1, t: ack.t });
  assert.deepEqual(await b.next('msg'), {
    type: 'msg',
    seq: 1,
    id: 'msg-000001',
    body: 'Y2lwaGVydGV4dA',
    t: ack.t,
  });
  a.send({ type: 'send', id: 'msg-000001', body: 'Y2lwaGVydGV4dA' }); // resent after a lost ack
  assert.deepEqual(await a.next('ack'), { type: 'ack', id: 'msg-000001', seq: 1, t: ack.t });
  b.send({ type: 'send', id: 'msg-000002', body: 'c2Vjb25k' });
  assert.equal(((await b.next('ack')) as { seq: number }).seq, 2);
  assert.equal(((await a.next('msg')) as { seq: number }).seq, 2);
  assert.equal(b.inbox.filter((m) => m.type === 'msg').length, 0, 'the resend was not relayed again');
  // a reconnecting client asks for what it missed
  const c = await client();
  c.send({ type: 'hello', room, auth: token, since: 1 });
  const w = (await c.next('welcome')) as { messages: { seq: number }[] };
  assert.deepEqual(
    w.messages.map((m) => m.seq),
    [2],
  );
  c.send({ type: 'hello', room, auth: token, since: 0 });
  const all = (await c.next('welcome')) as { messages: { seq: number; t: number }[] };
  assert.equal(all.messages[0]!.t, ack.t, 'read back with the time it was stored');
  for (const x of [a, b, c]) x.ws.close();
});

test('the wrong key, an unknown room and bad frames get clear errors and the socket lives on', async () => {
  const { verifier } = auth();
  const room = await createRoom(verifier);
  const a = await client();
  a.send({ type: 'hello', room, auth: 'f'.repeat(64), since: 0 });
  assert.equal(((await a.next('error')) as { code: string }).code, 'forbidden');
  a.send({ type: 'hello', room: 'A'.repeat(22), auth: 'f'.repeat(64), since: 0 });
  assert.equal(((await a.next('error')) as { code: string }).code, 'no_room');
  for (const [frame, code] of [
    ['{nope', 'bad_json'],
    ['[]', 'bad_message'],
    [JSON.stringify({ type: 'send', id: 'abcdefgh', body: 'x' }), 'not_joined'],
    [JSON.stringify({ type: 'send', id: 3, body: 'x' }), 'bad_message'],
    [JSON.stringify({ type: 'warp' }), 'bad_message'],
  ] as const) {
    a.send(frame);
    assert.equal(((await a.next('error')) as { code: string }).code, code, frame);
  }
  a.send({ type: 'ping' });
  assert.equal((await a.next('pong')).type, 'pong');
  a.ws.close();
});

test('an oversized frame closes only that socket; the server keeps serving', async () => {
  const a = await client();
  const closed = new Promise<number>((r) => a.ws.once('close', (code) => r(code)));
  a.send('x'.repeat(200 * 1024));
  assert.equal(await closed, 1009); // message too big
  const b = await client();
  b.send({ type: 'ping' });
  assert.equal((await b.next('pong')).type, 'pong');
  b.ws.close();
});

test('room creation and deletion check their input; deletion needs the token and removes everything', async () => {
  const bad = await fetch(`http://${base}/api/rooms`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: '{"verifier": "nope"}',
  });
  assert.equal(bad.status, 400);
  const malformed = await fetch(`http://${base}/api/rooms`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: '{',
  });
  assert.equal(malformed.status, 400);
  const { token, verifier } = auth();
  const room = await createRoom(verifier);
  const a = await client();
  a.send({ type: 'hello', room, auth: token, since: 0 });
  await a.next('welcome');
  a.send({ type: 'send', id: 'tobedeleted', body: 'Ym9keQ' });
  await a.next('ack');
  const wrong = await fetch(`http://${base}/api/rooms/${room}`, {
    method: 'DELETE',
    headers: { 'x-steady-auth': 'e'.repeat(64) },
  });
  assert.equal(wrong.status, 403);
  // only a member deletes: one with a registered seat (alone in the room, at once)
  const seat = auth();
  const noSeat = await fetch(`http://${base}/api/rooms/${room}`, {
    method: 'DELETE',
    headers: { 'x-steady-auth': token },
  });
  assert.equal(noSeat.status, 403);
  const sat = await fetch(`http://${base}/api/rooms/${room}/seats`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-steady-auth': token },
    body: JSON.stringify({ verifier: seat.verifier }),
  });
  assert.equal(sat.status, 204);
  const ok = await fetch(`http://${base}/api/rooms/${room}`, {
    method: 'DELETE',
    headers: { 'x-steady-auth': token, 'x-steady-seat': seat.token },
  });
  assert.equal(ok.status, 200);
  assert.equal((await a.next('deleted')).type, 'deleted');
  const db = new Database(dbPath, { readonly: true });
  assert.equal(
    (db.prepare('SELECT COUNT(*) AS n FROM messages WHERE room_id = ?').get(room) as { n: number }).n,
    0,
  );
  assert.equal((db.prepare('SELECT COUNT(*) AS n FROM rooms WHERE id = ?').get(room) as { n: number }).n, 0);
  db.close();
  const again = await client();
  again.send({ type: 'hello', room, auth: token, since: 0 });
  assert.equal(((await again.next('error')) as { code: string }).code, 'no_room');
  a.ws.close();
  again.ws.close();
});

test('health: 200 with the database up; 503 once it does not answer', async () => {
  const r = await fetch(`http://${base}/api/health`);
  assert.equal(r.status, 200);
  assert.deepEqual(await r.json(), { ok: true, database: 'up' });
  // a second server whose database goes away under it
  const { app, store } = await buildServer({
    db: join(mkdtempSync(join(tmpdir(), 'steady-health-')), 'rooms.db'),
  });
  const url = await app.listen({ port: 0, host: '127.0.0.1' });
  try {
    await store.close();
    const down = await fetch(`${url}/api/health`);
    assert.equal(down.status, 503);
    assert.deepEqual(await down.json(), { ok: false, database: 'down' });
  } finally {
    await app.close().catch(() => {});
  }
});
