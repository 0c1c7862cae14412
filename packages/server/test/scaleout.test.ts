// Scale-out mode against real services: a private PostgreSQL and Redis on loopback (Debian's packages),
// the store on both dialects, migrations from the pre-Kysely SQLite schema, two server processes sharing
// a room, and a Redis that is killed and restarted mid-conversation.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import WebSocket from 'ws';
import type { ServerMessage } from '@steady/protocol';
import { buildServer, openStore } from '../src/index.ts';
import { startPostgres, startRedis, type Postgres, type RedisServer } from '../testing/services.ts';
import { Peer, assertLog, createRoom, freePort, keys, readAll, sleep, up } from '../testing/peers.ts';

let pg: Postgres;
let redis: RedisServer;
before(async () => {
  pg = await startPostgres({ durable: false });
  redis = await startRedis();
});
after(async () => {
  await redis?.stop();
  await pg?.stop();
});

const tmpFile = (name: string) => join(mkdtempSync(join(tmpdir(), 'steady-store-')), name);

for (const kind of ['sqlite', 'postgres'] as const) {
  test(`store on ${kind}: numbering, resends, read-back, a deleted room`, async () => {
    const where = kind === 'sqlite' ? tmpFile('rooms.db') : await pg.database();
    const store = await openStore(where);
    try {
      assert.equal(store.kind, kind);
      await store.createRoom('room-one-aaaaaaaaaaaaaa', 'v'.repeat(64));
      assert.equal(await store.verifier('room-one-aaaaaaaaaaaaaa'), 'v'.repeat(64));
      assert.equal(await store.verifier('no-such-room-aaaaaaaaa'), undefined);
      const before = Date.now();
      const a1 = await store.append('room-one-aaaaaaaaaaaaaa', 'client-a1', 'c1');
      assert.deepEqual(a1, { seq: 1, fresh: true, t: (a1 as { t: number }).t });
      const t1 = (a1 as { t: number }).t;
      assert.ok(t1 >= before && t1 <= Date.now(), 'stored at the server clock');
      const b1 = await store.append('room-one-aaaaaaaaaaaaaa', 'client-b1', 'c2');
      assert.deepEqual(b1, { seq: 2, fresh: true, t: (b1 as { t: number }).t });
      await sleep(5);
      assert.deepEqual(
        await store.append('room-one-aaaaaaaaaaaaaa', 'client-a1', 'c1'),
        { seq: 1, fresh: false, t: t1 },
        'a resend keeps its number and the time it was first stored',
      );
      assert.deepEqual(await store.since('room-one-aaaaaaaaaaaaaa', 1), [
        { seq: 2, id: 'client-b1', body: 'c2', t: (b1 as { t: number }).t },
      ]);
      assert.deepEqual(await store.append('no-such-room-aaaaaaaaa', 'client-a2', 'c3'), { gone: true });
      // many writers at once, through separate connections where the dialect has them
      const other = kind === 'postgres' ? await openStore(where) : store;
      const writes = Array.from({ length: 120 }, (_, i) =>
        (i % 2 ? store : other).append('room-one-aaaaaaaaaaaaaa', `burst-${i}-xx`, `b${i}`),
      );
      const seqs = (await Promise.all(writes)).map((r) => ('seq' in r ? r.seq : -1)).sort((a, b) => a - b);
      assert.deepEqual(
        seqs,
        Array.from({ length: 120 }, (_, i) => i + 3),
        'concurrent writers never share a number',
      );
      // one message resent many times at once: stored once, one number for all
      const resends = await Promise.all(
        Array.from({ length: 10 }, (_, i) =>
          (i % 2 ? store : other).append('room-one-aaaaaaaaaaaaaa', 'resent-many', 'r'),
        ),
      );
      assert.equal(resends.filter((r) => 'fresh' in r && r.fresh).length, 1, 'stored once');
      assert.deepEqual(
        new Set(resends.map((r) => ('seq' in r ? r.seq : -1))),
        new Set([123]),
        'every resend gets the same number',
      );
      // batches that span rooms, from two writers in opposite orders: no deadlock, every room gap-free
      const rooms = ['room-two-aaaaaaaaaaaaaa', 'room-thr-aaaaaaaaaaaaaa'];
      for (const r of rooms) await store.createRoom(r, 'v'.repeat(64));
      for (let round = 0; round < 20; round++) {
        await Promise.all(
          Array.from({ length: 20 }, (_, i) =>
            (i % 2 ? store : other).append(rooms[((i >> 1) % 2) ^ (i % 2)]!, `cross-${round}-${i}`, 'x'),
          ),
        );
      }
      for (const r of rooms)
        assert.deepEqual(
          (await store.since(r, 0)).map((m) => m.seq),
          Array.from({ length: 200 }, (_, i) => i + 1),
        );
      if (other !== store) await other.close();
      assert.equal(await store.deleteRoom('room-one-aaaaaaaaaaaaaa'), true);
      assert.equal(await store.deleteRoom('room-one-aaaaaaaaaaaaaa'), false);
      assert.deepEqual(await store.since('room-one-aaaaaaaaaaaaaa', 0), []);
    } finally {
      await store.close();
    }
  });
}

test('migrations upgrade a SQLite file written before them, in place', async () => {
  const file = tmpFile('old.db');
  const old = new Database(file);
  // the schema the first server created by hand
  old.exec(`CREATE TABLE rooms (id TEXT PRIMARY KEY, verifier TEXT NOT NULL, created_at INTEGER NOT NULL);
    CREATE TABLE messages (room_id TEXT NOT NULL REFERENCES rooms(id) ON DELETE CASCADE, seq INTEGER NOT NULL, client_id TEXT NOT NULL,
      body TEXT NOT NULL, created_at INTEGER NOT NULL, PRIMARY KEY (room_id, seq), UNIQUE (room_id, client_id));
    INSERT INTO rooms VALUES ('old-room-aaaaaaaaaaaaaa', '${'f'.repeat(64)}', 1);
    INSERT INTO messages VALUES ('old-room-aaaaaaaaaaaaaa', 1, 'old-one-x', 'x1', 1), ('old-room-aaaaaaaaaaaaaa', 2, 'old-two-x', 'x2', 1);`);
  old.close();
  for (let run = 0; run < 2; run++) {
    const store = await openStore(file); // twice: the second open has nothing left to migrate
    const r = await store.append('old-room-aaaaaaaaaaaaaa', `new-one-${run}`, 'x3');
    assert.deepEqual(
      { ...r, t: 0 },
      { seq: 3 + run, fresh: true, t: 0 },
      'numbering carries on after the old messages',
    );
    assert.equal((await store.since('old-room-aaaaaaaaaaaaaa', 0)).length, 3 + run);
    await store.close();
  }
});

/** Two server processes on different ports sharing PostgreSQL and Redis. */
async function twoServers(): Promise<{ ports: number[]; servers: ChildProcess[] }> {
  const env = { STEADY_DATABASE_URL: await pg.database(), STEADY_REDIS_URL: redis.url };
  const ports = [await freePort(), await freePort()];
  const servers = [await up(ports[0]!, env), await up(ports[1]!, env)];
  return { ports, servers };
}

const waitFor = async (ok: () => boolean, ms: number) => {
  for (let t = 0; t < ms && !ok(); t += 20) await sleep(20);
  return ok();
};

test('two processes, one room: clients on each get every message once, in order; deletion reaches both', {
  timeout: 60_000,
}, async () => {
  const { ports, servers } = await twoServers();
  const { token, verifier } = keys();
  const room = await createRoom(ports[0]!, verifier);
  const urls = ports.map((p) => `ws://127.0.0.1:${p}/ws`);
  const a = new Peer('a', urls[0]!, room, token);
  const b = new Peer('b', urls[1]!, room, token);
  try {
    a.connect();
    b.connect();
    await waitFor(() => a.ws?.readyState === WebSocket.OPEN && b.ws?.readyState === WebSocket.OPEN, 5000);
    await sleep(100); // both welcomed
    for (let i = 1; i <= 40; i++) {
      (i % 2 ? a : b).say(i);
      await sleep(3);
    }
    assert.ok(
      await waitFor(() => a.has.size === 40 && b.has.size === 40, 10_000),
      `a holds ${a.has.size}, b holds ${b.has.size} of 40`,
    );
    const log = await readAll(urls[1]!, room, token);
    assertLog(log, [a, b], 40);
    const truth = new Map(log.map((m) => [m.seq, m.id]));
    assert.deepEqual(a.has, truth, 'the client on the first process holds exactly what is stored');
    assert.deepEqual(b.has, truth, 'the client on the second process holds exactly what is stored');
    assert.deepEqual([a.disorder, b.disorder], [0, 0], 'relayed in order, never twice');
    // deletion through the second process reaches a socket on the first
    const deleted = new Promise<ServerMessage>((r) =>
      a.ws!.on('message', (d) => {
        const m = JSON.parse(String(d));
        if (m.type === 'deleted') r(m);
      }),
    );
    const seat = keys();
    const sat = await fetch(`http://127.0.0.1:${ports[1]}/api/rooms/${room}/seats`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-steady-auth': token },
      body: JSON.stringify({ verifier: seat.verifier }),
    });
    assert.equal(sat.status, 204);
    const res = await fetch(`http://127.0.0.1:${ports[1]}/api/rooms/${room}`, {
      method: 'DELETE',
      headers: { 'x-steady-auth': token, 'x-steady-seat': seat.token },
    });
    assert.equal(res.status, 200);
    assert.equal((await deleted).type, 'deleted');
  } finally {
    a.stop();
    b.stop();
    servers.forEach((s) => s.kill('SIGKILL'));
  }
});

test('Redis killed and restarted 5 times mid-conversation: nothing acknowledged lost or duplicated, delivery resumes', {
  timeout: 120_000,
}, async () => {
  const { ports, servers } = await twoServers();
  const { token, verifier } = keys();
  const room = await createRoom(ports[0]!, verifier);
  const urls = ports.map((p) => `ws://127.0.0.1:${p}/ws`);
  const peers = [new Peer('a', urls[0]!, room, token), new Peer('b', urls[1]!, room, token)];
  let n = 0;
  let talk: NodeJS.Timeout | undefined;
  try {
    peers.forEach((p) => p.connect());
    await waitFor(() => peers.every((p) => p.ws?.readyState === WebSocket.OPEN), 5000);
    await sleep(100);
    talk = setInterval(() => peers[n++ % 2]!.say(n), 8);
    for (let k = 0; k < 5; k++) {
      await sleep(300 + Math.floor(Math.random() * 500));
      await redis.kill();
      await sleep(100 + Math.floor(Math.random() * 300));
      await redis.start();
    }
    await sleep(300);
    clearInterval(talk);
    // The last words fall while Redis is down and nothing follows them: only the read-back after
    // Redis returns can bring them across.
    assert.ok(
      await waitFor(() => peers.every((p) => p.pending.size === 0), 10_000),
      'every message was acknowledged',
    );
    await redis.kill();
    const health = async () => {
      const r = await fetch(`http://127.0.0.1:${ports[0]}/api/health`);
      return { status: r.status, ...((await r.json()) as { redis?: string; database?: string }) };
    };
    let h = await health();
    for (let i = 0; i < 100 && h.redis !== 'down'; i++) {
      await sleep(30);
      h = await health();
    }
    assert.deepEqual(
      h,
      { status: 200, ok: true, database: 'up', redis: 'down' },
      'Redis down is degraded, not dead',
    );
    peers[0]!.say(++n);
    peers[1]!.say(++n);
    assert.ok(
      await waitFor(() => peers.every((p) => p.pending.size === 0), 5000),
      'acknowledged while Redis is down (stored in PostgreSQL)',
    );
    await sleep(1500); // long enough that the queued publishes give up
    await redis.start();
    for (let i = 0; i < 100 && h.redis !== 'up'; i++) {
      await sleep(30);
      h = await health();
    }
    assert.equal(h.redis, 'up', 'and the health check sees it back');
    const all = () => peers.every((p) => p.has.size === n);
    assert.ok(
      await waitFor(all, 10_000),
      `each side holds every message: ${peers.map((p) => p.has.size)} of ${n}`,
    );
    const log = await readAll(urls[0]!, room, token);
    assertLog(log, peers, n);
    const truth = new Map(log.map((m) => [m.seq, m.id]));
    for (const p of peers) assert.deepEqual(p.has, truth, `${p.name} holds exactly what is stored`);
    assert.deepEqual(
      peers.map((p) => p.disorder),
      [0, 0],
      'relayed in order, never twice',
    );
    assert.deepEqual(
      peers.map((p) => p.connects),
      [1, 1],
      'the sockets rode out the Redis restarts',
    );
    assert.ok(n > 300, `the conversation went on (${n} messages)`);
  } finally {
    clearInterval(talk);
    peers.forEach((p) => p.stop());
    servers.forEach((s) => s.kill('SIGKILL'));
  }
});

test('with Redis, rate limits are one budget across processes: a room and an address cannot multiply them', {
  timeout: 30_000,
}, async () => {
  const db = await pg.database();
  // two servers in this process, each with its own hub and limiter, sharing PostgreSQL and Redis
  const servers = await Promise.all(
    [0, 1].map(() => buildServer({ db, redis: redis.url, limits: { roomsPerIp: 6, messagesPerRoom: 6 } })),
  );
  try {
    const bases = await Promise.all(servers.map(({ app }) => app.listen({ port: 0, host: '127.0.0.1' })));
    const { token, verifier } = keys();
    const create = (i: number) =>
      fetch(`${bases[i]!}/api/rooms`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ verifier }),
      });
    // a burst of 2 rooms per address (6 a minute), wherever they are asked for
    const made = [await create(0), await create(1), await create(0), await create(1)];
    assert.deepEqual(
      made.map((r) => r.status),
      [201, 201, 429, 429],
    );
    const room = ((await made[0]!.json()) as { id: string }).id;
    const open = async (i: number) => {
      const ws = new WebSocket(`${bases[i]!.replace('http', 'ws')}/ws`);
      const got: ServerMessage[] = [];
      ws.on('message', (d) => got.push(JSON.parse(String(d))));
      await new Promise((r) => ws.once('open', r));
      ws.send(JSON.stringify({ type: 'hello', room, auth: token, since: 0 }));
      await waitFor(() => got.some((m) => m.type === 'welcome'), 3000);
      return { ws, got };
    };
    const a = await open(0);
    const b = await open(1);
    // a burst of 2 messages per room: one through each process, then the third is refused on either
    a.ws.send(JSON.stringify({ type: 'send', id: 'first-aaa', body: 'c1' }));
    await waitFor(() => a.got.some((m) => m.type === 'ack'), 3000);
    b.ws.send(JSON.stringify({ type: 'send', id: 'second-bb', body: 'c2' }));
    await waitFor(() => b.got.some((m) => m.type === 'ack'), 3000);
    a.ws.send(JSON.stringify({ type: 'send', id: 'third-aaa', body: 'c3' }));
    await waitFor(() => a.got.some((m) => m.type === 'error'), 3000);
    const refused = a.got.find((m) => m.type === 'error') as { code: string; id?: string } | undefined;
    assert.deepEqual(
      [refused?.code, refused?.id],
      ['rate_limited', 'third-aaa'],
      'the room spent its burst across both processes',
    );
    assert.deepEqual(
      (await readAll(`${bases[1]!.replace('http', 'ws')}/ws`, room, token)).map((m) => m.id),
      ['first-aaa', 'second-bb'],
    );
    a.ws.close();
    b.ws.close();
  } finally {
    for (const { app } of servers) await app.close();
  }
});

test('a database or Redis that cannot be reached, or Redis without PostgreSQL: a clear message and exit 1, no half-started server', async () => {
  const { spawnSync } = await import('node:child_process');
  const main = new URL('../src/main.ts', import.meta.url).pathname;
  const run = (env: Record<string, string>) =>
    spawnSync(process.execPath, ['--import', 'tsx', main], {
      env: { ...process.env, PORT: '0', ...env },
      encoding: 'utf8',
      timeout: 30_000,
    });
  const refused = run({
    STEADY_DATABASE_URL: `postgres://steady@127.0.0.1:${await freePort()}/nowhere`,
    STEADY_REDIS_URL: redis.url,
  });
  assert.equal(refused.status, 1);
  assert.match(refused.stderr, /steady: could not start: database migration failed: .*ECONNREFUSED/);
  const noRedis = run({
    STEADY_DATABASE_URL: await pg.database(),
    STEADY_REDIS_URL: `redis://127.0.0.1:${await freePort()}`,
  });
  assert.equal(noRedis.status, 1);
  assert.match(noRedis.stderr, /steady: could not start: .*(retries|ECONNREFUSED)/i);
  const mixed = run({ STEADY_DATABASE_URL: '', STEADY_DB: tmpFile('x.db'), STEADY_REDIS_URL: redis.url });
  assert.equal(mixed.status, 1);
  assert.match(mixed.stderr, /needs a shared PostgreSQL database/);
});
