// Two people per room, held at the server over real sockets on loopback (SQLite): each person names
// their seat at hello (the token their devices derive from the seat secret); posting takes a free seat;
// once two seats are taken a third person with the link is refused with room_full, at hello and at send,
// while a seat opened on a new device (the same secret) is let in, up to a few sockets per seat.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import WebSocket from 'ws';
import type { ServerMessage } from '@steady/protocol';
import { buildServer } from '../src/index.ts';

let base = '';
let close: () => Promise<void>;
before(async () => {
  const db = join(mkdtempSync(join(tmpdir(), 'steady-members-')), 'rooms.db');
  const { app } = await buildServer({ db, bounds: { socketsPerSeat: 2 } });
  await app.listen({ port: 0, host: '127.0.0.1' });
  base = `127.0.0.1:${(app.server.address() as { port: number }).port}`;
  close = () => app.close();
});
after(() => close?.());

const hex = () => randomBytes(32).toString('hex');
const sha = (s: string) => createHash('sha256').update(s).digest('hex');

async function newRoom(): Promise<{ id: string; auth: string }> {
  const auth = hex();
  const r = await fetch(`http://${base}/api/rooms`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ verifier: sha(auth) }),
  });
  return { id: ((await r.json()) as { id: string }).id, auth };
}

/** A socket that says hello (with a seat token, or none) and records what it is told. */
async function device(room: { id: string; auth: string }, seat?: string) {
  const ws = new WebSocket(`ws://${base}/ws`);
  const got: ServerMessage[] = [];
  let closed = false;
  ws.on('message', (d) => got.push(JSON.parse(String(d))));
  ws.on('close', () => (closed = true));
  await new Promise((ok) => ws.once('open', ok));
  ws.send(
    JSON.stringify({ type: 'hello', room: room.id, auth: room.auth, since: 0, ...(seat ? { seat } : {}) }),
  );
  const first = async (f: (m: ServerMessage) => boolean): Promise<ServerMessage> => {
    for (let i = 0; i < 200; i++) {
      const m = got.find(f);
      if (m) return m;
      await new Promise((r) => setTimeout(r, 10));
    }
    throw new Error(`nothing came; got ${JSON.stringify(got)}`);
  };
  const hello = await first((m) => m.type === 'welcome' || m.type === 'error');
  return {
    hello,
    got,
    closed: () => closed,
    /** Send one message: its ack or its refusal. */
    async post(body = 'Y2lwaGVy'): Promise<ServerMessage> {
      const id = randomBytes(9).toString('base64url');
      ws.send(JSON.stringify({ type: 'send', id, body }));
      return first((m) => (m.type === 'ack' && m.id === id) || (m.type === 'error' && m.id === id));
    },
    close: () => ws.close(),
  };
}

const code = (m: ServerMessage) => (m.type === 'error' ? m.code : m.type);

test('two seats post; a third person with the link is refused as room_full; a seat on a new device gets in', async () => {
  const room = await newRoom();
  const [sam, alex, mallory] = [hex(), hex(), hex()];
  const samPhone = await device(room, sam);
  assert.equal(code(samPhone.hello), 'welcome');
  // before the second seat is taken, anyone with the link may read (the invited person opens it first)
  const early = await device(room, mallory);
  const bare = await device(room);
  assert.equal(code(early.hello), 'welcome');
  assert.equal(code(bare.hello), 'welcome');
  assert.equal(code(await samPhone.post()), 'ack', 'Sam’s first post takes seat one');
  // from now on a socket that names no seat does not post, even with a seat still free
  const tokenless = await bare.post();
  assert.equal(code(tokenless), 'forbidden');
  assert.match((tokenless as { message: string }).message, /name your seat at hello/);
  const alexLaptop = await device(room, alex);
  assert.equal(code(await alexLaptop.post()), 'ack', 'Alex’s first post takes seat two');

  // both seats are taken: the third person's sockets that got in early, with or without a token, are told
  // the room is full and closed, so they read no more of it
  for (const d of [early, bare]) {
    for (let i = 0; i < 200 && !d.closed(); i++) await new Promise((r) => setTimeout(r, 10));
    assert.ok(d.closed(), 'an early seatless socket is closed');
    const full = d.got.find((m) => code(m) === 'room_full');
    assert.match((full as { message: string }).message, /for two, and both seats are taken/);
  }
  // and a new hello from a third person is refused and closed
  for (const seat of [mallory, hex(), undefined]) {
    const third = await device(room, seat);
    assert.equal(code(third.hello), 'room_full', `hello with ${seat ? 'another seat' : 'no seat'}`);
    for (let i = 0; i < 100 && !third.closed(); i++) await new Promise((r) => setTimeout(r, 10));
    assert.ok(third.closed(), 'the refused socket is closed');
  }
  // Sam opens the seat on a new device (the seat link carries the same secret): let in, and posts
  const samLaptop = await device(room, sam);
  assert.equal(code(samLaptop.hello), 'welcome');
  assert.equal(code(await samLaptop.post()), 'ack');
  // a few devices per seat: past the cap (2 here) the next is told so
  const samThird = await device(room, sam);
  assert.equal(code(samThird.hello), 'too_many');
  samLaptop.close();
  await new Promise((r) => setTimeout(r, 100));
  const samAgain = await device(room, sam);
  assert.equal(code(samAgain.hello), 'welcome', 'a closed device frees its place');
  // nothing from the third person was stored: 3 posts, all from the two seats
  const reader = await device(room, alex);
  const w = reader.hello as { messages: unknown[] };
  assert.equal(w.messages.length, 3);
  for (const d of [samPhone, early, bare, alexLaptop, samAgain, reader]) d.close();
});

test('a bad seat token is a clear error; a room no one has a seat in lets a token-less client post', async () => {
  const room = await newRoom();
  const bad = await device(room, 'not-hex');
  assert.equal(code(bad.hello), 'bad_message');
  assert.match((bad.hello as { message: string }).message, /hello.seat must be 64 hex/);
  bad.close();
  const old = await device(room);
  assert.equal(code(await old.post()), 'ack');
  old.close();
});

test('a link-holder who joined before both seats were taken is closed out when the second one is', async () => {
  const room = await newRoom();
  const [sam, alex, early] = [hex(), hex(), hex()];
  const samPhone = await device(room, sam);
  assert.equal(code(await samPhone.post()), 'ack'); // one seat taken
  // joins while a seat is still free, naming a seat it has not taken (it never posts)
  const lurker = await device(room, early);
  assert.equal(code(lurker.hello), 'welcome');
  const alexPhone = await device(room, alex);
  assert.equal(code(await alexPhone.post()), 'ack'); // the second seat: the room is two people's now
  for (let i = 0; i < 200 && !lurker.closed(); i++) await new Promise((r) => setTimeout(r, 10));
  assert.ok(lurker.closed(), 'the seatless socket is closed');
  assert.ok(lurker.got.some((m) => code(m) === 'room_full'));
  // and it received none of what was said after
  const before = lurker.got.filter((m) => m.type === 'msg').length;
  assert.equal(code(await samPhone.post()), 'ack');
  await new Promise((r) => setTimeout(r, 50));
  assert.equal(lurker.got.filter((m) => m.type === 'msg').length, before);
  assert.equal(samPhone.closed() || alexPhone.closed(), false);
  for (const d of [samPhone, alexPhone]) d.close();
});

test("a person's second device that joined before their seat was taken stays when the room fills", async () => {
  const room = await newRoom();
  const [sam, alex] = [hex(), hex()];
  const samPhone = await device(room, sam);
  assert.equal(code(await samPhone.post()), 'ack');
  const alexLaptop = await device(room, alex); // joins before Alex's seat exists
  const alexPhone = await device(room, alex);
  assert.equal(code(await alexPhone.post()), 'ack'); // Alex's seat taken from the phone: the room is full
  await new Promise((r) => setTimeout(r, 100));
  assert.equal(alexLaptop.closed(), false, 'the laptop names the same seat: it stays');
  assert.equal(code(await alexLaptop.post()), 'ack');
  for (const d of [samPhone, alexLaptop, alexPhone]) d.close();
});
