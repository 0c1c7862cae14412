// Issue 15, "hold under abuse": each attack from the review, scaled down, against a real server on
// loopback with a real SQLite file; each now refused or contained.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, statSync, existsSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import WebSocket from 'ws';
import { LIMITS, type ServerMessage } from '@steady/protocol';
import { addressKey, buildServer, sqliteFile, type ServerOptions, type Store } from '../src/index.ts';

const dirs: string[] = [];
const closers: (() => Promise<void>)[] = [];
after(async () => {
  for (const c of closers) await c().catch(() => {});
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});
const tempDir = () => {
  const d = mkdtempSync(join(tmpdir(), 'steady-abuse-'));
  dirs.push(d);
  return d;
};

const OFF = { roomsPerIp: 0, socketsPerIp: 0, messagesPerRoom: 0, concurrentPerIp: 0, bytesPerIpPerHour: 0 };

async function serve(o: Partial<ServerOptions> = {}) {
  const log: string[] = [];
  const logStream = new Writable({
    write(c, _e, cb) {
      log.push(String(c));
      cb();
    },
  });
  const db = o.db ?? join(tempDir(), 'data', 'steady.db');
  const { app, store } = await buildServer({ db, logStream, ...o, limits: { ...OFF, ...o.limits } });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const port = (app.server.address() as { port: number }).port;
  const close = () => app.close();
  closers.push(close);
  return { app, store, db, log, http: `http://127.0.0.1:${port}`, wsUrl: `ws://127.0.0.1:${port}/ws`, close };
}

const keys = () => {
  const token = randomBytes(32).toString('hex');
  return { token, verifier: createHash('sha256').update(token).digest('hex') };
};

async function room(s: { http: string }): Promise<{ id: string; token: string }> {
  const { token, verifier } = keys();
  const r = await fetch(`${s.http}/api/rooms`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ verifier }),
  });
  assert.equal(r.status, 201);
  return { id: ((await r.json()) as { id: string }).id, token };
}

interface Client {
  ws: WebSocket;
  raw: string[];
  next: (type?: string) => Promise<ServerMessage>;
  send: (x: unknown) => void;
  closed: Promise<number>;
}

async function client(url: string, headers: Record<string, string> = {}): Promise<Client> {
  const ws = new WebSocket(url, { headers });
  const inbox: ServerMessage[] = [];
  const raw: string[] = [];
  const waiters: (() => void)[] = [];
  const closed = new Promise<number>((r) => ws.once('close', (code) => r(code)));
  ws.on('message', (d) => {
    raw.push(String(d));
    inbox.push(JSON.parse(String(d)));
    waiters.splice(0).forEach((w) => w());
  });
  ws.on('error', () => {});
  await new Promise((r, j) => {
    ws.once('open', r);
    ws.once('error', j);
  });
  const next = async (type?: string): Promise<ServerMessage> => {
    for (;;) {
      const i = inbox.findIndex((m) => !type || m.type === type);
      if (i >= 0) return inbox.splice(i, 1)[0]!;
      await new Promise<void>((r, j) => {
        const t = setTimeout(() => j(new Error(`timed out waiting for ${type ?? 'a frame'}`)), 5000);
        waiters.push(() => {
          clearTimeout(t);
          r();
        });
      });
    }
  };
  return { ws, raw, next, closed, send: (x) => ws.send(JSON.stringify(x)) };
}

async function joined(url: string, r: { id: string; token: string }, since = 0): Promise<Client> {
  const c = await client(url);
  c.send({ type: 'hello', room: r.id, auth: r.token, since });
  return c;
}

const body = (n: number, tag = randomBytes(4).toString('hex')) => `${tag}.${'x'.repeat(n - tag.length - 1)}`;

/** Fill a room directly through the store (real SQLite), `n` messages of `size` characters. */
async function fill(store: Store, id: string, n: number, size: number): Promise<void> {
  await Promise.all(
    Array.from({ length: n }, (_, i) => store.append(id, `fill-${String(i).padStart(5, '0')}`, body(size))),
  );
}

/** Delete as a member: the only seat registered, so the room goes at once (200; see seats.test.ts). */
async function remove(s: { http: string }, r: { id: string; token: string }): Promise<Response> {
  const seat = keys();
  const reg = await fetch(`${s.http}/api/rooms/${r.id}/seats`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-steady-auth': r.token },
    body: JSON.stringify({ verifier: seat.verifier }),
  });
  assert.equal(reg.status, 204);
  return fetch(`${s.http}/api/rooms/${r.id}`, {
    method: 'DELETE',
    headers: { 'x-steady-auth': r.token, 'x-steady-seat': seat.token },
  });
}

const errorOf = (m: ServerMessage) => (m.type === 'error' ? m.code : `not an error: ${m.type}`);

// ---- 2. memory ----------------------------------------------------------------------------------

test('a long history comes in pages of at most LIMITS.page, each asked for; nothing missed or repeated', async () => {
  const s = await serve();
  const r = await room(s);
  await fill(s.store, r.id, 40, 60_000); // 2.4 MB: one frame before the fix
  const c = await joined(s.wsUrl, r);
  const seqs: number[] = [];
  let pages = 0;
  for (;;) {
    const m = await c.next('welcome');
    assert.equal(m.type, 'welcome');
    if (m.type !== 'welcome') break;
    pages++;
    seqs.push(...m.messages.map((x) => x.seq));
    if (!m.more) break;
    // no further page until asked: a reader that stops asking is sent nothing more
    await new Promise((ok) => setTimeout(ok, 50));
    assert.equal(c.raw.length, pages);
    c.send({ type: 'more' });
  }
  assert.ok(pages >= 3, `${pages} pages`);
  assert.deepEqual(
    seqs,
    Array.from({ length: 40 }, (_, i) => i + 1),
  );
  for (const f of c.raw) assert.ok(f.length <= LIMITS.page + 4096, `a frame of ${f.length} characters`);
  // live messages during paging wait for the last page, then arrive in order
  c.ws.close();
});

test('a reader that does not read is cut once its unsent output passes the bound; the writer carries on', async () => {
  const s = await serve({ bounds: { bufferedBytes: 256 * 1024 } });
  const r = await room(s);
  const slow = await joined(s.wsUrl, r);
  await slow.next('welcome');
  const writer = await joined(s.wsUrl, r);
  await writer.next('welcome');
  // stop reading: the kernel buffers fill, then the server's
  (slow.ws as unknown as { _socket: { pause(): void } })._socket.pause();
  let acks = 0;
  for (let i = 0; i < 300; i++) {
    writer.send({ type: 'send', id: `flood-${String(i).padStart(4, '0')}`, body: body(60_000) });
    if (i % 20 === 19) {
      while (acks <= i - 10) {
        const m = await writer.next();
        if (m.type === 'ack') acks++;
      }
    }
  }
  while (acks < 300) if ((await writer.next()).type === 'ack') acks++;
  (slow.ws as unknown as { _socket: { resume(): void } })._socket.resume();
  assert.equal(await slow.closed, 1006, 'the slow reader was cut, not buffered without end');
  assert.equal(writer.ws.readyState, WebSocket.OPEN);
  // and it comes back and reads from its position, in pages
  const back = await joined(s.wsUrl, r, 0);
  let got = 0;
  for (;;) {
    const m = await back.next('welcome');
    if (m.type !== 'welcome') break;
    got += m.messages.length;
    if (!m.more) break;
    back.send({ type: 'more' });
  }
  assert.equal(got, 300);
});

test('hellos per socket are limited: a socket saying hello over and over is closed', async () => {
  const s = await serve();
  const r = await room(s);
  const c = await client(s.wsUrl);
  for (let i = 0; i < 40; i++) c.send({ type: 'hello', room: r.id, auth: r.token, since: 0 });
  let welcomes = 0;
  for (;;) {
    const m = await c.next();
    if (m.type === 'welcome') welcomes++;
    else {
      assert.equal(errorOf(m), 'too_many');
      break;
    }
  }
  assert.ok(welcomes <= 10, `${welcomes} welcomes`);
  assert.equal(await c.closed, 1008);
});

test('a room admits its two members on a few devices, not a crowd', async () => {
  const s = await serve({ bounds: { socketsPerRoom: 3 } });
  const r = await room(s);
  const members = [];
  for (let i = 0; i < 3; i++) {
    const c = await joined(s.wsUrl, r);
    await c.next('welcome');
    members.push(c);
  }
  const crowd = await joined(s.wsUrl, r);
  assert.equal(errorOf(await crowd.next()), 'too_many');
  assert.equal(await crowd.closed, 1013);
  members[0]!.ws.close();
  await members[0]!.closed;
  await new Promise((ok) => setTimeout(ok, 50));
  const again = await joined(s.wsUrl, r);
  assert.equal((await again.next()).type, 'welcome');
});

// ---- 3. disk ------------------------------------------------------------------------------------

test('a room has a byte cap: past it a message is refused and not stored', async () => {
  const s = await serve({ storage: { roomBytes: 200_000 } });
  const r = await room(s);
  const c = await joined(s.wsUrl, r);
  await c.next('welcome');
  const codes: string[] = [];
  for (let i = 0; i < 5; i++) {
    c.send({ type: 'send', id: `big-${i}-xxxxx`, body: body(60_000) });
    const m = await c.next();
    codes.push(m.type === 'ack' ? 'ack' : errorOf(m));
  }
  assert.deepEqual(codes, ['ack', 'ack', 'ack', 'room_full', 'room_full']);
  assert.equal((await s.store.since(r.id, 0)).length, 3);
});

test('one address has a byte budget across rooms', async () => {
  const s = await serve({ limits: { bytesPerIpPerHour: 150_000 } });
  const codes: string[] = [];
  for (let k = 0; k < 2; k++) {
    const r = await room(s);
    const c = await joined(s.wsUrl, r);
    await c.next('welcome');
    for (let i = 0; i < 2; i++) {
      c.send({ type: 'send', id: `addr-${k}-${i}-xxxx`, body: body(60_000) });
      const m = await c.next();
      codes.push(m.type === 'ack' ? 'ack' : errorOf(m));
    }
  }
  assert.deepEqual(codes, ['ack', 'ack', 'rate_limited', 'rate_limited']);
});

test('the server has a quota: past it, "server full" for messages and for new rooms', async () => {
  const s = await serve({ storage: { totalBytes: 300_000 } });
  const a = await room(s);
  const c = await joined(s.wsUrl, a);
  await c.next('welcome');
  const codes: string[] = [];
  for (let i = 0; i < 6; i++) {
    c.send({ type: 'send', id: `quota-${i}-xxxx`, body: body(60_000) });
    const m = await c.next();
    codes.push(m.type === 'ack' ? 'ack' : errorOf(m));
    if (m.type === 'error') assert.match(m.message, /full/);
  }
  assert.deepEqual(codes, ['ack', 'ack', 'ack', 'ack', 'ack', 'server_full']);
  const r = await fetch(`${s.http}/api/rooms`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ verifier: keys().verifier }),
  });
  assert.equal(r.status, 507);
  assert.equal(((await r.json()) as { error: string }).error, 'server_full');
  // deleting a room frees its share
  const del = await remove(s, a);
  assert.equal(del.status, 200);
  assert.equal(s.store.used, 0);
});

test('idle rooms expire: on start the server prunes rooms idle past idleDays, and keeps the others', async () => {
  const first = await serve();
  const old = await room(first);
  const fresh = await room(first);
  await fill(first.store, old.id, 3, 100);
  // age the first room by hand: 31 days without a write or a hello
  sqliteFile(first.store)!
    .prepare('UPDATE rooms SET active_at = ? WHERE id = ?')
    .run(Date.now() - 31 * 86_400_000, old.id);
  await first.close();
  const second = await serve({ db: first.db, bounds: { idleDays: 30 } });
  assert.equal(await second.store.verifier(old.id), undefined);
  assert.deepEqual(await second.store.since(old.id, 0), []);
  assert.ok(await second.store.verifier(fresh.id));
});

// ---- 5. connections ----------------------------------------------------------------------------

test('sockets per address are capped, IPv6 by its /64; X-Forwarded-For counts only with trustProxy', async () => {
  const proxied = await serve({ trustProxy: true, limits: { concurrentPerIp: 2 } });
  const from = (ip: string) => client(proxied.wsUrl, { 'x-forwarded-for': ip });
  const a = await from('2001:db8::1');
  const b = await from('2001:db8::2');
  const c = await from('2001:db8::ffff'); // same /64: the third
  assert.equal(errorOf(await c.next()), 'too_many');
  assert.equal(await c.closed, 1013);
  const d = await from('2001:db8:0:1::1'); // another /64
  const e = await from('192.0.2.7');
  await new Promise((ok) => setTimeout(ok, 100));
  assert.equal(d.raw.length + e.raw.length, 0, 'other addresses are not refused');
  for (const x of [a, b, d, e]) x.ws.close();

  // without trustProxy the header is ignored: all three are 127.0.0.1
  const direct = await serve({ limits: { concurrentPerIp: 2 } });
  const xs = [];
  for (const ip of ['2001:db8::1', '2001:db9::1', '192.0.2.9'])
    xs.push(await client(direct.wsUrl, { 'x-forwarded-for': ip }));
  assert.equal(errorOf(await xs[2]!.next()), 'too_many');
  for (const x of xs) x.ws.close();
});

test('address keys: IPv4 as is, IPv4-mapped unwrapped, IPv6 by /64', () => {
  assert.equal(addressKey('192.0.2.1'), '192.0.2.1');
  assert.equal(addressKey('::ffff:192.0.2.1'), '192.0.2.1');
  assert.equal(addressKey('2001:db8::1'), addressKey('2001:0db8:0000:0000:ffff:1:2:3'));
  assert.equal(addressKey('2001:db8::1'), '2001:db8:0:0::/64');
  assert.notEqual(addressKey('2001:db8:0:1::1'), addressKey('2001:db8::1'));
  assert.equal(addressKey('fe80::1%eth0'), 'fe80:0:0:0::/64');
  assert.equal(addressKey('::1'), '0:0:0:0::/64');
});

test('a socket that never says hello is closed after the timeout', async () => {
  const s = await serve({ bounds: { helloMs: 200 } });
  const c = await client(s.wsUrl);
  const m = await c.next();
  assert.equal(errorOf(m), 'timeout');
  assert.equal(await c.closed, 1008);
  // one that says hello in time stays
  const r = await room(s);
  const ok = await joined(s.wsUrl, r);
  await ok.next('welcome');
  await new Promise((done) => setTimeout(done, 400));
  assert.equal(ok.ws.readyState, WebSocket.OPEN);
});

test('heartbeat: a peer that stops answering pings is cut, and frees its place in the room', async () => {
  const s = await serve({ bounds: { heartbeatMs: 100, socketsPerRoom: 1 } });
  const r = await room(s);
  const dead = await joined(s.wsUrl, r);
  await dead.next('welcome');
  const blocked = await joined(s.wsUrl, r);
  assert.equal(errorOf(await blocked.next()), 'too_many');
  // a vanished phone: nothing read, no pong sent
  (dead.ws as unknown as { _socket: { pause(): void } })._socket.pause();
  const live = await client(s.wsUrl);
  let welcomed = false;
  for (let i = 0; i < 40 && !welcomed; i++) {
    await new Promise((ok) => setTimeout(ok, 100));
    const c = await joined(s.wsUrl, r);
    const m = await c.next();
    welcomed = m.type === 'welcome';
    c.ws.close();
  }
  assert.ok(welcomed, 'the dead peer was cut by the heartbeat');
  // a peer that answers pings is kept across many beats
  await new Promise((ok) => setTimeout(ok, 350));
  assert.equal(live.ws.readyState, WebSocket.OPEN);
  (dead.ws as unknown as { _socket: { resume(): void } })._socket.resume();
});

// ---- 6. disk full --------------------------------------------------------------------------------

test('disk full (SQLITE_FULL): a clear server_full, the cause logged, health 503, nothing lost once space returns', async () => {
  const s = await serve();
  const r = await room(s);
  const c = await joined(s.wsUrl, r);
  await c.next('welcome');
  const file = sqliteFile(s.store)!;
  const pages = file.pragma('page_count', { simple: true }) as number;
  file.pragma(`max_page_count = ${pages}`); // the database may not grow: a real SQLITE_FULL
  c.send({ type: 'send', id: 'full-disk-1', body: body(60_000) });
  const m = await c.next();
  assert.equal(errorOf(m), 'server_full');
  assert.equal(m.type === 'error' && m.id, 'full-disk-1', 'the client knows which message to keep');
  assert.doesNotMatch(JSON.stringify(m), /rollback|SQLITE/i);
  const logged = s.log.join('');
  assert.match(logged, /SQLITE_FULL/, 'the original error is logged');
  assert.doesNotMatch(logged, /cannot rollback/);
  const h = await fetch(`${s.http}/api/health`);
  assert.equal(h.status, 503);
  assert.deepEqual(await h.json(), { ok: false, database: 'up', writes: 'failing' });
  const nr = await fetch(`${s.http}/api/rooms`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ verifier: keys().verifier }),
  });
  assert.equal(nr.status, 507);
  // space again: the same message is stored once, health is 200
  file.pragma('max_page_count = 1073741823');
  c.send({ type: 'send', id: 'full-disk-1', body: body(60_000) });
  assert.equal((await c.next()).type, 'ack');
  assert.equal((await fetch(`${s.http}/api/health`)).status, 200);
  assert.equal((await s.store.since(r.id, 0)).length, 1);
});

test('every route answers a failure with clear JSON, never internal text', async () => {
  const s = await serve();
  const r = await room(s);
  await s.store.close(); // the database is gone under the server
  const del = await fetch(`${s.http}/api/rooms/${r.id}`, {
    method: 'DELETE',
    headers: { 'x-steady-auth': r.token },
  });
  assert.equal(del.status, 500);
  const j = (await del.json()) as { error: string; message: string };
  assert.equal(j.error, 'internal');
  assert.doesNotMatch(j.message, /driver|destroyed|kysely|sqlite/i);
  const bad = await fetch(`${s.http}/api/rooms`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: '{not json',
  });
  assert.equal(bad.status, 400);
  assert.equal(((await bad.json()) as { error: string }).error, 'bad_request');
  assert.equal((await fetch(`${s.http}/api/health`)).status, 503);
});

// ---- 7. at rest ----------------------------------------------------------------------------------

test('at rest: after a delete the ciphertext is in neither the database nor its WAL; directory 0700, files 0600', async () => {
  const s = await serve();
  const r = await room(s);
  const c = await joined(s.wsUrl, r);
  await c.next('welcome');
  const marker = `SECRETMARK${randomBytes(8).toString('hex')}`;
  for (let i = 0; i < 20; i++) {
    c.send({ type: 'send', id: `rest-${i}-xxxxx`, body: `${marker}.${'q'.repeat(3000)}` });
    assert.equal((await c.next()).type, 'ack');
  }
  const files = [s.db, `${s.db}-wal`];
  const found = () => files.filter((f) => existsSync(f) && readFileSync(f).includes(marker)).length;
  assert.ok(found() > 0, 'the ciphertext is on disk before the delete (the test can see it)');
  const del = await remove(s, r);
  assert.equal(del.status, 200);
  assert.equal(found(), 0, 'no copy of the ciphertext left in the database or the WAL');
  const dir = join(s.db, '..');
  assert.equal(statSync(dir).mode & 0o777, 0o700);
  for (const f of [s.db, `${s.db}-wal`, `${s.db}-shm`])
    if (existsSync(f)) assert.equal(statSync(f).mode & 0o777, 0o600, f);
});
