// Seats and deletion on the room server, over real HTTP and WebSockets on loopback with SQLite: only a
// member (a registered seat) may delete; one member's request is told to the other at once (and to
// anyone who connects later) and waits out a grace period, unless the other asks too (then it goes at
// once) or either keeps the room.
import { test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import WebSocket from 'ws';
import type { ServerMessage } from '@steady/protocol';
import { buildServer } from '../src/index.ts';

const GRACE = 400; // ms: a day in production, short here so the sweep is seen
const servers: { base: string; close: () => Promise<void> }[] = [];
before(async () => {
  for (const deleteGraceMs of [60_000, GRACE]) {
    const db = join(mkdtempSync(join(tmpdir(), 'steady-seats-')), 'rooms.db');
    const { app } = await buildServer({ db, deleteGraceMs });
    await app.listen({ port: 0, host: '127.0.0.1' });
    servers.push({
      base: `127.0.0.1:${(app.server.address() as { port: number }).port}`,
      close: () => app.close(),
    });
  }
});
after(() => Promise.all(servers.map((s) => s.close())));

const pair = () => {
  const token = randomBytes(32).toString('hex');
  return { token, verifier: createHash('sha256').update(token).digest('hex') };
};

async function room(base: string): Promise<{ id: string; token: string }> {
  const k = pair();
  const r = await fetch(`http://${base}/api/rooms`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ verifier: k.verifier }),
  });
  return { id: ((await r.json()) as { id: string }).id, token: k.token };
}

const api = (base: string, path: string, method: string, auth: string, seat?: string, body?: unknown) =>
  fetch(`http://${base}/api/rooms/${path}`, {
    method,
    headers: {
      'x-steady-auth': auth,
      ...(seat ? { 'x-steady-seat': seat } : {}),
      ...(body ? { 'content-type': 'application/json' } : {}),
    },
    ...(body ? { body: JSON.stringify(body) } : {}),
  });

/** A socket in the room that records every frame; `seat`: the member's seat token (once both seats are
 * taken the server lets in only the members' sockets). */
async function listen(base: string, id: string, token: string, seat: string) {
  const ws = new WebSocket(`ws://${base}/ws`);
  const got: ServerMessage[] = [];
  const waiters: (() => void)[] = [];
  ws.on('message', (d) => {
    got.push(JSON.parse(String(d)));
    for (const w of waiters.splice(0)) w();
  });
  await new Promise((r) => ws.once('open', r));
  ws.send(JSON.stringify({ type: 'hello', room: id, auth: token, since: 0, seat }));
  const next = async (type: string, ms = 3000): Promise<ServerMessage> => {
    const end = Date.now() + ms;
    for (;;) {
      const i = got.findIndex((m) => m.type === type);
      if (i >= 0) return got.splice(i, 1)[0]!;
      if (Date.now() > end) throw new Error(`no ${type} frame; got ${JSON.stringify(got)}`);
      await new Promise<void>((r) => {
        waiters.push(r);
        setTimeout(r, 50);
      });
    }
  };
  await next('welcome');
  return { ws, next, got };
}

test('seats: two per room, registering again is fine, a stranger is refused', async () => {
  const { base } = servers[0]!;
  const { id, token } = await room(base);
  const [a, b, c] = [pair(), pair(), pair()];
  assert.equal((await api(base, `${id}/seats`, 'POST', 'e'.repeat(64), undefined, a)).status, 403);
  assert.equal((await api(base, `${id}/seats`, 'POST', token, undefined, { verifier: 'x' })).status, 400);
  assert.equal(
    (await api(base, `${id}/seats`, 'POST', token, undefined, { verifier: a.verifier })).status,
    204,
  );
  assert.equal(
    (await api(base, `${id}/seats`, 'POST', token, undefined, { verifier: a.verifier })).status,
    204,
  );
  assert.equal(
    (await api(base, `${id}/seats`, 'POST', token, undefined, { verifier: b.verifier })).status,
    204,
  );
  const third = await api(base, `${id}/seats`, 'POST', token, undefined, { verifier: c.verifier });
  assert.equal(third.status, 409);
  // the link alone does not delete: a seat token must match
  for (const seat of [undefined, c.token, a.verifier]) {
    const r = await api(base, id, 'DELETE', token, seat);
    assert.equal(r.status, 403, `seat ${seat}`);
    assert.equal(((await r.json()) as { error: string }).error, 'not_member');
  }
});

test('one member asks to delete: the other is told first; both asking deletes at once; keeping calls it off', async () => {
  const { base } = servers[0]!;
  const { id, token } = await room(base);
  const [a, b] = [pair(), pair()];
  for (const s of [a, b]) await api(base, `${id}/seats`, 'POST', token, undefined, { verifier: s.verifier });
  const sa = await listen(base, id, token, a.token);
  const sb = await listen(base, id, token, b.token);
  const before = Date.now();
  const asked = await api(base, id, 'DELETE', token, a.token);
  assert.equal(asked.status, 202);
  const { at } = (await asked.json()) as { at: number };
  assert.ok(at >= before + 60_000 && at <= Date.now() + 60_000, 'after the grace period');
  for (const s of [sa, sb]) assert.deepEqual(await s.next('deleting'), { type: 'deleting', at });
  // someone who connects later hears it first thing; the conversation is still there to export
  const late = await listen(base, id, token, b.token);
  assert.deepEqual(await late.next('deleting'), { type: 'deleting', at });
  const again = await api(base, id, 'DELETE', token, a.token);
  assert.equal(((await again.json()) as { at: number }).at, at, 'asking twice does not move the time');

  // the other keeps it: called off on every screen
  assert.equal((await api(base, `${id}/keep`, 'POST', token, b.token)).status, 204);
  for (const s of [sa, sb, late]) assert.deepEqual(await s.next('deleting'), { type: 'deleting', at: null });
  // asked again, and this time the other agrees: gone at once
  assert.equal((await api(base, id, 'DELETE', token, a.token)).status, 202);
  const both = await api(base, id, 'DELETE', token, b.token);
  assert.equal(both.status, 200);
  assert.deepEqual(await both.json(), { deleted: true });
  for (const s of [sa, sb, late]) await s.next('deleted');
  assert.equal((await api(base, id, 'DELETE', token, a.token)).status, 404);
  for (const s of [sa, sb, late]) s.ws.close();
});

test('a deletion no one calls off happens when its grace period ends', async () => {
  const { base } = servers[1]!;
  const { id, token } = await room(base);
  const [a, b] = [pair(), pair()];
  for (const s of [a, b]) await api(base, `${id}/seats`, 'POST', token, undefined, { verifier: s.verifier });
  const sb = await listen(base, id, token, b.token);
  assert.equal((await api(base, id, 'DELETE', token, a.token)).status, 202);
  await sb.next('deleting');
  await sb.next('deleted', GRACE * 10);
  assert.equal((await api(base, `${id}/seats`, 'POST', token, undefined, b)).status, 404);
  sb.ws.close();
});
