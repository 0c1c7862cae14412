// The room's integrity in Debian's Chromium, attacked from outside the pages: a link-holder (a Node
// client on the real server's WebSocket, holding the key from the link) forges events as a member and
// replays stored ones under new ids; a malicious server (edits to its SQLite file) drops and reorders
// events. Each is refused by both screens, and each screen says so. Once both people hold seats the
// server lets in only their seats' sockets, so a bare link-holder is refused there; the forger here also
// holds a seat token (a seat link copied without its signing key, or the other member's own device),
// which gets it onto the server but not past the signatures.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import Database from 'better-sqlite3';
import type { Browser, Page } from 'playwright-core';
import WebSocket from 'ws';
import type { ServerMessage, Stored } from '@steady/protocol';
import {
  importRoomKey,
  newIdentity,
  openEvent,
  pad,
  parseRoomLink,
  randomId,
  seal,
  sealEvent,
  type Opened,
  type Payload,
} from '../src/room-crypto/index.ts';
import { startApp } from './harness.ts';

let base = '';
let browser: Browser;
let db = '';
let stop: () => Promise<void>;

before(async () => {
  ({ base, browser, db, stop } = await startApp('integrity'));
});
after(() => stop?.());

/** Sam starts a room; Alex joins it. */
async function openRoom(): Promise<{ a: Page; b: Page; link: string; errors: string[] }> {
  const a = await (await browser.newContext({ viewport: { width: 900, height: 900 } })).newPage();
  const b = await (await browser.newContext({ viewport: { width: 390, height: 844 } })).newPage();
  const errors: string[] = [];
  for (const p of [a, b]) p.on('pageerror', (e) => errors.push(e.message));
  await a.goto(`${base}/`);
  await a.getByLabel('Your name').fill('Sam');
  await a.getByRole('button', { name: 'Start a private room' }).click();
  await a.waitForURL(/\/room\/[A-Za-z0-9_-]{22}#k=/);
  // the one who made the room is seated at once (Start.tsx)
  await a.getByTestId('room-link').waitFor();
  const link = a.url();
  await b.goto(link);
  await b.getByLabel('Your name in this room').fill('Alex');
  await b.getByRole('button', { name: 'Join the room' }).click();
  await a.getByTestId('role-line').filter({ hasText: 'You have the floor' }).waitFor();
  await b.getByTestId('role-line').filter({ hasText: 'You are listening' }).waitFor();
  return { a, b, link, errors };
}

/** The seat token of the person on a page (seat.ts: SHA-256 of "steady-seat:" and the seat secret). */
async function seatOf(p: Page, room: string): Promise<string> {
  const secret = await p.evaluate((r) => localStorage.getItem(`steady:seat:${r}`), room);
  assert.ok(secret, 'the page holds a seat');
  return createHash('sha256').update(`steady-seat:${secret}`).digest('hex');
}

/** Someone holding the link, talking to the server directly: reads the whole log, sends what they like.
 * With `seat` (a member's seat token) the server lets it in; without, once both seats are taken, not. */
async function linkHolder(link: string, seat?: string) {
  const { room, secret } = parseRoomLink(link) as { room: string; secret: string };
  const key = await importRoomKey(secret);
  const ws = new WebSocket(`${base.replace(/^http/, 'ws')}/ws`);
  const log: Stored[] = [];
  const acks = new Map<string, (seq: number) => void>();
  let welcomed!: () => void;
  const welcome = new Promise<void>((ok) => (welcomed = ok));
  ws.on('message', (raw) => {
    const m = JSON.parse(String(raw)) as ServerMessage;
    if (m.type === 'welcome') {
      log.push(...m.messages);
      welcomed();
    } else if (m.type === 'msg') log.push(m);
    else if (m.type === 'ack') acks.get(m.id)?.(m.seq);
    else if (m.type === 'error') assert.fail(`server: ${m.message}`);
  });
  await once(ws, 'open');
  ws.send(JSON.stringify({ type: 'hello', room, auth: key.auth, since: 0, ...(seat ? { seat } : {}) }));
  await welcome;
  return {
    room,
    key,
    log,
    async read(): Promise<(Opened & { seq: number; body: string })[]> {
      const out = [];
      for (const m of log) {
        const o = await openEvent(key, room, m.body);
        if (o) out.push({ ...o, seq: m.seq, body: m.body });
      }
      return out;
    },
    /** Stored under a fresh id; resolves with its sequence number once the server acknowledges it. */
    send(body: string): Promise<number> {
      const id = randomId();
      const acked = new Promise<number>((ok) => acks.set(id, ok));
      ws.send(JSON.stringify({ type: 'send', id, body }));
      return acked;
    },
    close: () => ws.close(),
  };
}

const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
/** axe (WCAG 2.1 A and AA) on the page as it is: the notices must be as readable as the rest. */
async function axe(p: Page): Promise<string[]> {
  await p.evaluate(axeSource);
  return p.evaluate(async () => {
    const r = await (
      window as unknown as {
        axe: { run(d: Document, o: object): Promise<{ violations: { id: string; help: string }[] }> };
      }
    ).axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } });
    return r.violations.map((v) => `${v.id}: ${v.help}`);
  });
}

const turns = (p: Page, kind: string) => p.getByTestId(`turn-${kind}`).count();

test('a link-holder writing as a member is refused on both screens, and the real member still gets through', async () => {
  const { a, b, link, errors } = await openRoom();
  await a.getByLabel('Say what is true for you').fill('I felt alone at the party.');
  await a.getByRole('button', { name: 'Send', exact: true }).click();
  await b.getByText('I felt alone at the party.').waitFor();

  // with the link alone, the server no longer lets a third person in: both seats are taken
  const { room } = parseRoomLink(link) as { room: string };
  const bare = new WebSocket(`${base.replace(/^http/, 'ws')}/ws`);
  await once(bare, 'open');
  bare.send(
    JSON.stringify({
      type: 'hello',
      room,
      auth: (await importRoomKey((parseRoomLink(link) as { secret: string }).secret)).auth,
      since: 0,
    }),
  );
  const [refusal] = (await once(bare, 'message')) as [Buffer];
  assert.equal((JSON.parse(String(refusal)) as { code: string }).code, 'room_full');
  bare.close();
  const mallory = await linkHolder(link, await seatOf(a, room));
  const read = await mallory.read();
  const alex = read.find((o) => o.payload.e.kind === 'join' && o.payload.e.name === 'Alex')!.payload;
  assert.ok(alex.key, 'the join announces a public key');
  const as = await newIdentity();
  // Alex's next event, in Alex's name, at Alex's next number, signed by Mallory's key
  const forged: Payload = {
    v: 2,
    room: mallory.room,
    by: alex.by,
    n: 2,
    prev: read.find((o) => o.payload.by === alex.by)!.hash,
    seen: read.length,
    e: { kind: 'reflect', by: alex.by, text: 'FORGED: you just want attention.' },
  };
  await mallory.send((await sealEvent(mallory.key, as, forged)).body);
  for (const p of [a, b])
    await p.getByTestId('notice-forged').filter({ hasText: 'claiming to be from Alex' }).waitFor();
  // and a second join for Alex announcing Mallory's key, then a confirm in Sam's name signed by it
  const sam = read.find((o) => o.payload.e.kind === 'join' && o.payload.e.name === 'Sam')!.payload;
  await mallory.send(
    (
      await sealEvent(mallory.key, as, {
        ...forged,
        n: 3,
        key: as.public,
        e: { kind: 'join', by: alex.by, name: 'Alex' },
      })
    ).body,
  );
  await mallory.send(
    (
      await sealEvent(mallory.key, as, {
        ...forged,
        by: sam.by,
        n: 3,
        e: { kind: 'confirm', by: sam.by, yes: true },
      })
    ).body,
  );
  for (const p of [a, b]) {
    await p.getByTestId('notice-forged').nth(2).waitFor();
    assert.equal(await p.getByText('FORGED', { exact: false }).count(), 0, 'a forged word on screen');
    assert.equal(await turns(p, 'reflect'), 0);
    assert.equal(await turns(p, 'confirm'), 0);
  }
  assert.equal(await a.getByRole('button', { name: "Yes, that's it" }).count(), 0, 'the floor did not move');
  for (const p of [a, b]) {
    assert.deepEqual(await axe(p), []);
    const box = (await p.getByTestId('integrity').boundingBox())!;
    assert.ok(box.width <= p.viewportSize()!.width, 'the notices fit the screen');
  }

  // Alex's real reflection goes through after all that (after a reload: the signing key is kept on the
  // device), and Sam can answer it.
  await b.reload();
  await b.getByTestId('notice-forged').nth(2).waitFor();
  await b.getByLabel('Say back what you heard').fill('It sounds like you felt on your own there.');
  await b.getByRole('button', { name: 'Send reflection' }).click();
  await a.getByText('It sounds like you felt on your own there.').waitFor();
  await a.getByRole('button', { name: "Yes, that's it" }).click();
  await b.getByText("“Yes, that's it.”").waitFor();
  for (const p of [a, b]) assert.equal(await p.getByTestId('integrity').locator('li').count(), 3);
  mallory.close();
  assert.deepEqual(errors, []);
});

test('a replayed event (the stored body, or re-encrypted) under a new id is refused on both screens', async () => {
  const { a, b, link, errors } = await openRoom();
  await a.getByLabel('Say what is true for you').fill('I felt alone at the party.');
  await a.getByRole('button', { name: 'Send', exact: true }).click();
  await b.getByLabel('Say back what you heard').fill('You felt alone.');
  await b.getByRole('button', { name: 'Send reflection' }).click();
  await a.getByRole('button', { name: 'Not quite' }).click();
  await b.getByText('“Not quite.”').waitFor();

  const eve = await linkHolder(link, await seatOf(b, (parseRoomLink(link) as { room: string }).room));
  const read = await eve.read();
  const reflect = read.find((o) => o.payload.e.kind === 'reflect')!;
  await eve.send(reflect.body); // the very ciphertext, under a new id: now Sam must confirm it again
  for (const p of [a, b])
    await p.getByTestId('notice-replayed').filter({ hasText: 'from Alex was sent again' }).waitFor();
  const resealed = await seal(
    eve.key,
    eve.room,
    pad(new Uint8Array([...reflect.signature, ...reflect.bytes])),
  );
  await eve.send(resealed);
  for (const p of [a, b]) {
    await p.getByTestId('notice-replayed').nth(1).waitFor();
    assert.equal(await turns(p, 'reflect'), 1);
  }
  // the floor is where it was: Alex reflects again, not Sam confirming a copy
  assert.equal(await a.getByRole('button', { name: "Yes, that's it" }).count(), 0);
  await b.getByLabel('Say back what you heard').waitFor();
  eve.close();
  assert.deepEqual(errors, []);
});

test('a server that drops or reorders events is caught on reload, and bodies are one size', async () => {
  const { a, b, link, errors } = await openRoom();
  const room = parseRoomLink(link) as { room: string };
  await a.getByLabel('Say what is true for you').fill('I felt alone at the party.');
  await a.getByRole('button', { name: 'Send', exact: true }).click();
  await b.getByLabel('Say back what you heard').fill('You felt alone.');
  await b.getByRole('button', { name: 'Send reflection' }).click();
  await a.getByRole('button', { name: 'Not quite' }).click();
  await b.getByText('“Not quite.”').waitFor();
  await b.getByLabel('Say back what you heard').fill('You felt alone even with me there.');
  await b.getByRole('button', { name: 'Send reflection' }).click();
  await a.getByRole('button', { name: "Yes, that's it" }).click();
  await b.getByText("“Yes, that's it.”").waitFor();
  // log: 1 join Sam, 2 join Alex, 3 speak, 4 reflect, 5 not quite, 6 reflect, 7 yes

  const file = new Database(db);
  file.pragma('busy_timeout = 5000');
  const rows = () =>
    file
      .prepare('SELECT seq, client_id, body FROM messages WHERE room_id = ? ORDER BY seq')
      .all(room.room) as { seq: number; client_id: string; body: string }[];
  const original = rows();
  assert.equal(original.length, 7);
  assert.equal(new Set(original.map((r) => r.body.length)).size, 1, 'joins, words and answers: one length');
  const put = (list: { client_id: string; body: string }[]) =>
    file.transaction(() => {
      file.prepare('DELETE FROM messages WHERE room_id = ?').run(room.room);
      const ins = file.prepare(
        'INSERT INTO messages (room_id, seq, client_id, body, created_at) VALUES (?, ?, ?, ?, 0)',
      );
      list.forEach((r, i) => ins.run(room.room, i + 1, r.client_id, r.body));
      file.prepare('UPDATE rooms SET last_seq = ? WHERE id = ?').run(list.length, room.room);
    })();
  const at = (i: number) => original[i - 1]!;

  // Reordered: Alex's reflection (which had seen Sam's words) placed before them.
  put([at(1), at(2), at(4), at(3), at(5), at(6), at(7)]);
  await a.reload();
  await a
    .getByTestId('notice-reordered')
    .filter({ hasText: 'from Alex arrived out of its order' })
    .first()
    .waitFor();
  assert.equal(await a.getByTestId('integrity').locator('li').count(), 1, 'one moved event, one notice');
  assert.equal(await turns(a, 'reflect'), 1, 'the moved reflection is set aside');

  // Dropped: Sam's "not quite" gone, the rest renumbered so the sequence has no hole.
  put([at(1), at(2), at(3), at(4), at(6), at(7)]);
  await a.reload();
  await a.getByTestId('notice-missing').filter({ hasText: 'A message from Sam never arrived' }).waitFor();

  // Sam's own events swapped ("yes" before "not quite"): the earlier-numbered one arrives late.
  put([at(1), at(2), at(3), at(4), at(7), at(5), at(6)]);
  await b.reload();
  await b
    .getByTestId('notice-reordered')
    .filter({ hasText: 'from Sam arrived out of its order' })
    .first()
    .waitFor();

  // Put back as it was: a reload finds nothing wrong.
  put(original);
  await a.reload();
  await a.getByText("“Yes, that's it.”").waitFor();
  assert.equal(await a.getByTestId('integrity').locator('li').count(), 0);
  file.close();
  assert.deepEqual(errors, []);
});

test('a message too long to seal is not sent, the room says so, and the words stay in the box', async () => {
  const { a, b, errors } = await openRoom();
  const long = 'I have so much to say. '.repeat(2200); // 50,600 bytes: over the largest bucket
  await a.getByLabel('Say what is true for you').fill(long);
  await a.getByRole('button', { name: 'Send', exact: true }).click();
  await a.getByTestId('notice-too-large').filter({ hasText: 'too long to send' }).waitFor();
  assert.equal(await a.getByLabel('Say what is true for you').inputValue(), long);
  await a.getByLabel('Say what is true for you').fill('Shorter, then.');
  await a.getByRole('button', { name: 'Send', exact: true }).click();
  await b.getByText('Shorter, then.').waitFor();
  assert.equal(await b.getByTestId('integrity').locator('li').count(), 0, 'nothing reached the other side');
  assert.equal(await turns(a, 'speak'), 1);
  assert.deepEqual(errors, []);
});
