// Faults and abuse against a real server process and real sockets: SIGKILL at random moments during a
// scripted conversation (20 times) with no acknowledged message lost or duplicated; protocol fuzzing;
// rate limits per address and per room.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { LIMITS } from '@steady/protocol';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import WebSocket from 'ws';
import type { ServerMessage } from '@steady/protocol';
import { buildServer } from '../src/index.ts';
import { Peer, assertLog, createRoom, freePort, keys, readAll, sleep, up } from '../testing/peers.ts';

test('SIGKILL at 20 random moments: no acknowledged message lost or duplicated', {
  timeout: 240_000,
}, async () => {
  const port = await freePort();
  const db = join(mkdtempSync(join(tmpdir(), 'steady-kill-')), 'rooms.db');
  const url = `ws://127.0.0.1:${port}/ws`;
  let server = await up(port, { STEADY_DB: db });
  const { token, verifier } = keys();
  const room = await createRoom(port, verifier);
  const peers = [new Peer('a', url, room, token), new Peer('b', url, room, token)];
  peers.forEach((p) => p.connect());
  let n = 0;
  // every 8 ms, but never past half the room's message cap: a slow machine stretches the test, and a
  // full room refuses messages by design (room_full), which is not what this test is about
  const talk = setInterval(() => n < LIMITS.messagesPerRoom / 2 && peers[n++ % 2]!.say(n), 8);
  const ackedBeforeKill: number[] = [];
  try {
    for (let kill = 0; kill < 20; kill++) {
      await sleep(150 + Math.floor(Math.random() * 450));
      ackedBeforeKill.push(peers.reduce((a, p) => a + p.acked.size, 0));
      server.kill('SIGKILL');
      await new Promise((r) => server.once('exit', r));
      await sleep(Math.floor(Math.random() * 100));
      server = await up(port, { STEADY_DB: db });
    }
    clearInterval(talk);
    // let every pending message through after the last restart
    for (let i = 0; i < 200 && peers.some((p) => p.pending.size); i++) await sleep(50);
    assert.deepEqual(
      peers.map((p) => p.pending.size),
      [0, 0],
      'every message was acknowledged in the end',
    );
    assertLog(await readAll(url, room, token), peers, n);
    assert.ok(
      ackedBeforeKill.at(-1)! > 100,
      `the conversation went on between kills (${ackedBeforeKill.at(-1)} acked)`,
    );
  } finally {
    clearInterval(talk);
    peers.forEach((p) => p.stop());
    server.kill('SIGKILL');
  }
});

test('protocol fuzzing: every malformed frame gets a clear error and the server carries on', async () => {
  const { app } = await buildServer({
    db: join(mkdtempSync(join(tmpdir(), 'steady-fuzz-')), 'rooms.db'),
    limits: { socketsPerIp: 0 },
  });
  const base = await app.listen({ port: 0, host: '127.0.0.1' });
  const url = `${base.replace('http', 'ws')}/ws`;
  try {
    const ws = new WebSocket(url);
    await new Promise((r) => ws.once('open', r));
    const replies: ServerMessage[] = [];
    ws.on('message', (d) => replies.push(JSON.parse(String(d))));
    const frame = fc.oneof(
      fc.string({ unit: 'binary', maxLength: 300 }),
      fc.json(),
      fc
        .record(
          {
            type: fc.constantFrom('hello', 'send', 'ping', 'nope', 7, null),
            room: fc.oneof(fc.string(), fc.integer()),
            auth: fc.string(),
            since: fc.oneof(fc.integer(), fc.string()),
            id: fc.string(),
            body: fc.oneof(fc.string(), fc.integer()),
          },
          { requiredKeys: ['type'] },
        )
        .map((x) => JSON.stringify(x)),
    );
    const frames = fc.sample(frame, { numRuns: 400, seed: 7 });
    for (const f of frames) ws.send(f);
    ws.send(JSON.stringify({ type: 'ping' }));
    for (let i = 0; i < 200 && replies.at(-1)?.type !== 'pong'; i++) await sleep(20);
    const codes = new Set([
      'bad_json',
      'bad_message',
      'too_large',
      'no_room',
      'forbidden',
      'not_joined',
      'pong',
    ]);
    assert.ok(
      replies.length >= frames.length,
      `${replies.length} replies to ${frames.length} frames; the last: ${JSON.stringify(replies.slice(-3))}`,
    );
    for (const r of replies)
      assert.ok(
        r.type === 'pong' || (r.type === 'error' && codes.has(r.code) && r.message.length > 0),
        JSON.stringify(r),
      );
    // unknown room, replayed id, oversized frame
    ws.send(JSON.stringify({ type: 'hello', room: 'A'.repeat(22), auth: 'a'.repeat(64), since: 0 }));
    for (let i = 0; i < 50 && replies.at(-1)?.type !== 'error'; i++) await sleep(20);
    assert.equal((replies.at(-1) as { code: string }).code, 'no_room');
    const closed = new Promise<number>((r) => ws.once('close', (code) => r(code)));
    ws.send('x'.repeat(200 * 1024));
    assert.equal(await closed, 1009, 'an oversized frame closes that socket with "message too big"');
    assert.equal((await fetch(`${base}/api/health`)).status, 200, 'and the server lives on');
    const bad = await fetch(`${base}/api/rooms`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"verifier": [1]}',
    });
    assert.equal(bad.status, 400);
  } finally {
    await app.close();
  }
});

test('rate limits: rooms per address, messages per room; a refused message is not stored', async () => {
  const { app } = await buildServer({
    db: join(mkdtempSync(join(tmpdir(), 'steady-rate-')), 'rooms.db'),
    limits: { roomsPerIp: 6, messagesPerRoom: 3 },
  });
  const base = await app.listen({ port: 0, host: '127.0.0.1' });
  try {
    const { token, verifier } = keys();
    const create = () =>
      fetch(`${base}/api/rooms`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ verifier }),
      });
    const statuses = [];
    for (let i = 0; i < 4; i++) statuses.push((await create()).status);
    assert.deepEqual(statuses, [201, 201, 429, 429]);
    const r = await create();
    assert.ok(Number(r.headers.get('retry-after')) >= 1);
    const room = (
      (await (
        await fetch(`${base}/api/rooms`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'x-forwarded-for': '1' },
          body: JSON.stringify({ verifier }),
        })
      ).json()) as { id?: string }
    ).id;
    assert.equal(room, undefined, 'a header does not buy another address');
    // a room made before the limit bit: use a fresh server state through the first 201
    const first = await buildServer({
      db: join(mkdtempSync(join(tmpdir(), 'steady-rate2-')), 'rooms.db'),
      limits: { messagesPerRoom: 3 },
    });
    const b2 = await first.app.listen({ port: 0, host: '127.0.0.1' });
    try {
      const id = (
        (await (
          await fetch(`${b2}/api/rooms`, {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify({ verifier }),
          })
        ).json()) as { id: string }
      ).id;
      const ws = new WebSocket(`${b2.replace('http', 'ws')}/ws`);
      const got: ServerMessage[] = [];
      ws.on('message', (d) => got.push(JSON.parse(String(d))));
      await new Promise((r) => ws.once('open', r));
      ws.send(JSON.stringify({ type: 'hello', room: id, auth: token, since: 0 }));
      ws.send(JSON.stringify({ type: 'send', id: 'first-000', body: 'c1' }));
      ws.send(JSON.stringify({ type: 'send', id: 'second-00', body: 'c2' }));
      for (let i = 0; i < 100 && got.length < 3; i++) await sleep(20);
      assert.equal(got[1]!.type, 'ack');
      assert.deepEqual(
        [got[2]!.type, (got[2] as { code?: string }).code, (got[2] as { id?: string }).id],
        ['error', 'rate_limited', 'second-00'],
      );
      ws.close();
      assert.deepEqual(
        (await readAll(`${b2.replace('http', 'ws')}/ws`, id, token)).map((m) => m.id),
        ['first-000'],
      );
    } finally {
      await first.app.close();
    }
  } finally {
    await app.close();
  }
});
