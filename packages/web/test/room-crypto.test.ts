// The room's cryptography and log in Node (Node 20 has WebCrypto): the link, the key, sealing with the
// room as associated data, padding, signing, and the log refusing forged, replayed, reordered and
// missing events, applied in sequence order however slowly each one decrypts.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { LIMITS, parseClient, type FloorEvent, type Stored } from '@steady/protocol';
import {
  BUCKETS,
  MAX_DATA,
  TooLarge,
  exportRoomKey,
  fromGrant,
  importPublic,
  newGrant,
  importRoomKey,
  keyFromFragment,
  newIdentity,
  newRoomKey,
  open,
  openEvent,
  pad,
  parseRoomLink,
  randomId,
  roomLink,
  seal,
  sealEvent,
  sign,
  unpad,
  utf8,
  verify,
  type Identity,
  type Payload,
  type RoomKey,
} from '../src/room-crypto/index.ts';
import { RoomLog, describeNotice, type Notice } from '../src/room-log.ts';

const ROOM = 'AAAAAAAAAAAAAAAAAAAAAA';
const OTHER_ROOM = 'BBBBBBBBBBBBBBBBBBBBBB';

test('link: built and parsed back; a missing, cut or foreign link says what is wrong', async () => {
  const k = await newRoomKey();
  const link = roomLink('https://steady.example', ROOM, k.secret);
  assert.equal(link, `https://steady.example/room/${ROOM}#k=${k.secret}`);
  assert.deepEqual(parseRoomLink(link), { room: ROOM, secret: k.secret });
  assert.match((parseRoomLink(`https://steady.example/room/${ROOM}`) as { error: string }).error, /no key/);
  assert.match(
    (parseRoomLink(link.slice(0, -5)) as { error: string }).error,
    /damaged or cut short/,
    'a key with its end cut off',
  );
  assert.match(
    (parseRoomLink('https://steady.example/lens#k=x') as { error: string }).error,
    /not lead to a room/,
  );
  assert.match((parseRoomLink('not a url') as { error: string }).error, /not a link/);
  assert.deepEqual(keyFromFragment(`#k=${k.secret}`), { secret: k.secret });
  assert.throws(() => roomLink('https://x', 'short', k.secret), /not a room id/);
});

test('key: exported and imported back gives the same key, token and verifier; junk is refused plainly', async () => {
  const k = await newRoomKey();
  const again = await importRoomKey(exportRoomKey(k));
  assert.equal(again.auth, k.auth);
  assert.equal(again.verifier, k.verifier);
  assert.match(k.auth, /^[0-9a-f]{64}$/);
  assert.notEqual(k.auth, k.verifier);
  const body = await seal(k, ROOM, utf8('hello'));
  assert.deepEqual(await open(again, ROOM, body), utf8('hello'));
  await assert.rejects(importRoomKey('too-short'), /missing its key/);
  await assert.rejects(importRoomKey(`${k.secret.slice(0, 42)}!`), /missing its key/);
});

test('seal/open: the room id is associated data; a wrong key, room or flipped bit opens to null', async () => {
  const k = await newRoomKey();
  const body = await seal(k, ROOM, utf8('yes, that is it'));
  assert.equal(new TextDecoder().decode((await open(k, ROOM, body))!), 'yes, that is it');
  assert.equal(await open(k, OTHER_ROOM, body), null, 'a body moved to another room with the same key');
  assert.equal(await open(await newRoomKey(), ROOM, body), null);
  const [iv, ct] = body.split('.') as [string, string];
  const flipped = `${iv}.${ct[0] === 'A' ? 'B' : 'A'}${ct.slice(1)}`;
  assert.equal(await open(k, ROOM, flipped), null);
  for (const junk of ['', '.', 'a.b.c', '!!!.???', iv]) assert.equal(await open(k, ROOM, junk), null);
  assert.notEqual(await seal(k, ROOM, utf8('x')), await seal(k, ROOM, utf8('x')), 'a fresh IV each time');
});

test('pad: every length lands on a bucket and comes back; bad frames and oversize data are refused', () => {
  for (const n of [0, 1, 500, 1020, 1021, 4092, 4093, 16380, 16381, MAX_DATA]) {
    const data = new Uint8Array(n).fill(7);
    const p = pad(data);
    assert.ok((BUCKETS as readonly number[]).includes(p.length), `${n} bytes padded to ${p.length}`);
    assert.equal(
      p.length,
      BUCKETS.find((b) => b >= n + 4),
    );
    assert.deepEqual(unpad(p), data);
  }
  assert.throws(() => pad(new Uint8Array(MAX_DATA + 1)), TooLarge);
  const p = pad(utf8('hi'));
  const dirty = p.slice();
  dirty[100] = 1;
  assert.equal(unpad(dirty), null, 'non-zero padding');
  const lying = p.slice();
  new DataView(lying.buffer).setUint32(0, 5000);
  assert.equal(unpad(lying), null, 'a length past the end');
  assert.equal(unpad(p.slice(0, 1000)), null, 'not a bucket size');
});

test('pad: the largest bucket, sealed, is a body the server accepts', async () => {
  const k = await newRoomKey();
  const body = await seal(k, ROOM, pad(new Uint8Array(MAX_DATA).fill(255)));
  assert.ok(body.length <= LIMITS.body, `${body.length} > ${LIMITS.body}`);
  assert.equal(parseClient(JSON.stringify({ type: 'send', id: randomId(), body })).ok, true);
});

test('sign/verify: a signature holds only for its key and its exact bytes; junk public keys are refused', async () => {
  const sam = await newIdentity();
  const mallory = await newIdentity();
  const data = utf8('{"kind":"confirm","yes":true}');
  const sig = await sign(sam, data);
  const samKey = (await importPublic(sam.public))!;
  assert.equal(await verify(samKey, sig, data), true);
  assert.equal(await verify(samKey, await sign(mallory, data), data), false);
  assert.equal(await verify(samKey, sig, utf8('{"kind":"confirm","yes":false}')), false);
  assert.equal(await verify(samKey, sig.slice(0, 63), data), false);
  for (const junk of ['', 'abc', sam.public.slice(1), 'A'.repeat(87), '!'.repeat(87)])
    assert.equal(await importPublic(junk), null, junk);
  await assert.rejects(
    crypto.subtle.exportKey('pkcs8', sam.privateKey),
    'the private key cannot be read out',
  );
});

test('sizes: every kind of event, and a short sentence, seal to the same length', async () => {
  const k = await newRoomKey();
  const id = await newIdentity();
  const by = randomId();
  const events: FloorEvent[] = [
    { kind: 'join', by, name: 'A name of forty characters, the longest' },
    { kind: 'speak', by, text: 'I felt alone at the party.' },
    { kind: 'reflect', by, text: 'It sounds like you felt left on your own. Is that right?' },
    { kind: 'confirm', by, yes: true },
    { kind: 'confirm', by, yes: false, text: 'More that I was invisible.' },
    { kind: 'more', by },
    { kind: 'pass', by },
    { kind: 'timeout', by, at: Date.now(), minutes: 20 },
    { kind: 'resume', by },
  ];
  const lengths = new Set<number>();
  for (const [i, e] of events.entries()) {
    const p: Payload = { v: 2, room: ROOM, by, n: 1000 + i, prev: 'x'.repeat(43), seen: 4999, e };
    if (e.kind === 'join') p.key = id.public;
    lengths.add((await sealEvent(k, id, p)).body.length);
  }
  assert.deepEqual([...lengths], [Math.ceil(((BUCKETS[0] + 16) * 4) / 3) + 17]);
});

// A small room: two devices with their own logs, and the server's list of stored bodies.
interface Device {
  me: string;
  identity: Identity;
  log: RoomLog;
  events: FloorEvent[];
  notices: Notice[];
}
async function device(k: RoomKey, opts: { identity?: Identity; me?: string } = {}): Promise<Device> {
  const d = {
    me: opts.me ?? randomId(),
    identity: opts.identity ?? (await newIdentity()),
    events: [] as FloorEvent[],
    notices: [] as Notice[],
  } as Device;
  d.log = new RoomLog({
    room: ROOM,
    key: k,
    me: d.me,
    identity: d.identity,
    onEvents: (e) => d.events.push(...e),
    onNotice: (n) => d.notices.push(n),
  });
  return d;
}
function server() {
  const stored: Stored[] = [];
  return {
    stored,
    put(body: string): Stored {
      const m = { seq: stored.length + 1, id: randomId(), body };
      stored.push(m);
      return m;
    },
  };
}
/** Sender seals, the server stores, everyone reads what is new. */
async function say(
  s: ReturnType<typeof server>,
  from: Device,
  e: FloorEvent,
  all: Device[],
): Promise<Stored> {
  const m = s.put(await from.log.seal(e));
  for (const d of all) await d.log.push([m]);
  return m;
}
const kinds = (d: Device) => d.notices.map((n) => n.kind);

async function twoPeople() {
  const k = await newRoomKey();
  const sam = await device(k);
  const alex = await device(k);
  const s = server();
  const all = [sam, alex];
  await say(s, sam, { kind: 'join', by: sam.me, name: 'Sam' }, all);
  await say(s, alex, { kind: 'join', by: alex.me, name: 'Alex' }, all);
  return { k, sam, alex, s, all };
}

test('log: honest events from both people are applied in order, with no notices', async () => {
  const { sam, alex, s, all } = await twoPeople();
  await say(s, sam, { kind: 'speak', by: sam.me, text: 'I felt alone.' }, all);
  await say(s, alex, { kind: 'reflect', by: alex.me, text: 'You felt alone.' }, all);
  await say(s, sam, { kind: 'confirm', by: sam.me, yes: true }, all);
  for (const d of all) {
    assert.deepEqual(
      d.events.map((e) => e.kind),
      ['join', 'join', 'speak', 'reflect', 'confirm'],
    );
    assert.deepEqual(d.notices, []);
  }
});

test('log: a link-holder (or the other member) writing as Sam is dropped and both are told', async () => {
  const { k, sam, alex, s, all } = await twoPeople();
  const mallory = await newIdentity();
  // signed by another key but naming Sam, at Sam's next number
  const forged: Payload = {
    v: 2,
    room: ROOM,
    by: sam.me,
    n: 2,
    prev: '',
    seen: 2,
    e: { kind: 'speak', by: sam.me, text: 'forged' },
  };
  for (const d of all) await d.log.push([s.put((await sealEvent(k, mallory, forged)).body)]);
  // a second join for Sam announcing Mallory's key
  const rejoin: Payload = {
    ...forged,
    n: 3,
    key: mallory.public,
    e: { kind: 'join', by: sam.me, name: 'Sam' },
  };
  for (const d of all) await d.log.push([s.put((await sealEvent(k, mallory, rejoin)).body)]);
  // Alex's own key signing an event whose inner `by` is Sam (the member forging the other)
  const inner: Payload = {
    v: 2,
    room: ROOM,
    by: alex.me,
    n: 2,
    prev: '',
    seen: 2,
    e: { kind: 'confirm', by: sam.me, yes: true },
  };
  for (const d of all) await d.log.push([s.put((await sealEvent(k, alex.identity, inner)).body)]);
  // someone who never joined
  const stranger: Payload = {
    v: 2,
    room: ROOM,
    by: 'nobody-here',
    n: 1,
    prev: '',
    seen: 0,
    e: { kind: 'speak', by: 'nobody-here', text: 'hi' },
  };
  for (const d of all) await d.log.push([s.put((await sealEvent(k, mallory, stranger)).body)]);
  for (const d of all) {
    assert.deepEqual(kinds(d), ['forged', 'forged', 'forged', 'stranger']);
    assert.deepEqual(
      d.notices.slice(0, 3).map((n) => (n as { name: string }).name),
      ['Sam', 'Sam', 'Sam'],
    );
    assert.equal(d.events.length, 2, 'nothing forged reached the floor');
  }
  // Sam's real next event still counts from where Sam was
  await say(s, sam, { kind: 'speak', by: sam.me, text: 'real' }, all);
  assert.deepEqual(alex.events.at(-1), { kind: 'speak', by: sam.me, text: 'real' });
  assert.equal(alex.notices.length, 4);
  assert.match(describeNotice(alex.notices[0]!), /claiming to be from Sam was not signed/);
});

test('log: a replay (the same body, or re-encrypted, under a new id) is refused as a repeat', async () => {
  const { k, sam, alex, s, all } = await twoPeople();
  const m = await say(s, sam, { kind: 'speak', by: sam.me, text: 'I felt alone.' }, all);
  for (const d of all) await d.log.push([s.put(m.body)]);
  const opened = (await openEvent(k, ROOM, m.body))!;
  const resealed = await seal(k, ROOM, pad(new Uint8Array([...opened.signature, ...opened.bytes])));
  assert.notEqual(resealed, m.body);
  for (const d of all) await d.log.push([s.put(resealed)]);
  for (const d of all) {
    assert.deepEqual(kinds(d), ['replayed', 'replayed']);
    assert.equal(d.events.filter((e) => e.kind === 'speak').length, 1);
  }
  assert.match(describeNotice(alex.notices[0]!), /from Sam was sent again/);
});

test('log: the server dropping, reordering or moving events ahead is reported', async () => {
  const k = await newRoomKey();
  const sam = await device(k);
  const alex = await device(k);
  const s = server();
  const all = [sam, alex];
  await say(s, sam, { kind: 'join', by: sam.me, name: 'Sam' }, all);
  await say(s, alex, { kind: 'join', by: alex.me, name: 'Alex' }, all);
  const speak = s.put(await sam.log.seal({ kind: 'speak', by: sam.me, text: 'one' }));
  for (const d of all) await d.log.push([speak]);
  // Alex replies having seen Sam's speak (seen = 3)
  const reflect = s.put(await alex.log.seal({ kind: 'reflect', by: alex.me, text: 'you said one' }));
  for (const d of all) await d.log.push([reflect]);
  // a third reader sees what a malicious server shows: Alex's reflect (which had seen Sam's speak) first
  const reader = await device(k);
  await reader.log.push(s.stored.slice(0, 2));
  await reader.log.push([{ ...reflect, seq: 3 }]);
  await reader.log.push([{ ...speak, seq: 4 }]);
  assert.deepEqual(kinds(reader), ['reordered']);
  assert.match(describeNotice(reader.notices[0]!), /from Alex arrived out of its order/);
  assert.deepEqual(
    reader.events.map((e) => e.kind),
    ['join', 'join', 'speak'],
  );

  // Sam's own events swapped: the later one first, so the earlier one is out of order; one dropped.
  const a = await sam.log.seal({ kind: 'confirm', by: sam.me, yes: false });
  const b = await sam.log.seal({ kind: 'speak', by: sam.me, text: 'two' });
  await sam.log.seal({ kind: 'speak', by: sam.me, text: 'three' }); // the server drops this one
  const d = await sam.log.seal({ kind: 'pass', by: sam.me });
  const second = await device(k);
  await second.log.push(s.stored.slice(0, 4));
  await second.log.push([
    { seq: 5, id: 'x1', body: b },
    { seq: 6, id: 'x2', body: a },
    { seq: 7, id: 'x3', body: d },
  ]);
  assert.deepEqual(kinds(second), ['missing', 'reordered', 'missing']);
  assert.equal((second.notices[0] as { count: number }).count, 1);
  assert.match(describeNotice(second.notices[0]!), /A message from Sam never arrived/);
});

test('order: an earlier event that decrypts slowly is still applied first, across separate batches', async () => {
  const { k, sam, alex, s } = await twoPeople();
  const bodies = [
    await sam.log.seal({ kind: 'speak', by: sam.me, text: 'first' }),
    await alex.log.seal({ kind: 'reflect', by: alex.me, text: 'second' }),
    await sam.log.seal({ kind: 'confirm', by: sam.me, yes: true }),
  ].map((b) => s.put(b));
  const finished: number[] = [];
  // decryption of the first is slowest, the last fastest
  const slow = (body: string, seq: number) =>
    new Promise<Awaited<ReturnType<typeof openEvent>>>((ok) =>
      setTimeout(
        () => {
          finished.push(seq);
          ok(openEvent(k, ROOM, body));
        },
        (6 - seq) * 40,
      ),
    );
  const events: FloorEvent[] = [];
  const reader = new RoomLog({
    room: ROOM,
    key: k,
    me: 'reader',
    identity: await newIdentity(),
    open: slow,
    onEvents: (e) => events.push(...e),
    onNotice: (n) => assert.fail(describeNotice(n)),
  });
  // the way the connection hands them over: one batch, then each live message on its own
  await Promise.all([
    reader.push(s.stored.slice(0, 3)),
    reader.push([bodies[1]!]),
    reader.push([bodies[2]!]),
  ]);
  assert.deepEqual(finished, [5, 4, 3, 2, 1], 'the decryptions really finished last-first');
  assert.deepEqual(
    events.map((e) => e.kind),
    ['join', 'join', 'speak', 'reflect', 'confirm'],
  );
});

test('own counter: kept across a reload, and recovered from the log when storage was cleared', async () => {
  const k = await newRoomKey();
  const identity = await newIdentity();
  const me = randomId();
  let saved: { n: number; prev: string } | null = null;
  const chain = { load: () => saved, save: (x: { n: number; prev: string }) => void (saved = x) };
  const s = server();
  const mk = (c?: typeof chain) =>
    new RoomLog({
      room: ROOM,
      key: k,
      me,
      identity,
      chain: c,
      onEvents: () => {},
      onNotice: (n) => assert.fail(describeNotice(n)),
    });
  const first = mk(chain);
  s.put(await first.seal({ kind: 'join', by: me, name: 'Sam' }));
  s.put(await first.seal({ kind: 'speak', by: me, text: 'one' }));
  assert.equal(saved!.n, 2);
  const reloaded = mk(chain);
  await reloaded.push(s.stored);
  s.put(await reloaded.seal({ kind: 'speak', by: me, text: 'two' }));
  const cleared = mk(); // no stored counter: reading the log brings it back
  await cleared.push(s.stored);
  s.put(await cleared.seal({ kind: 'speak', by: me, text: 'three' }));
  const other = await device(k);
  await other.log.push(s.stored);
  assert.deepEqual(other.notices, []);
  assert.equal(other.events.length, 4);
});

test('log: bodies that do not open, or open to junk, are reported as unreadable', async () => {
  const { k, alex } = await twoPeople();
  const other = await newRoomKey();
  const id = await newIdentity();
  const p: Payload = {
    v: 2,
    room: ROOM,
    by: 'x'.repeat(10),
    n: 1,
    prev: '',
    seen: 0,
    e: { kind: 'pass', by: 'x'.repeat(10) },
  };
  const wrongRoom: Payload = { ...p, room: OTHER_ROOM };
  await alex.log.push([
    { seq: 3, id: 'a', body: 'garbage' },
    { seq: 4, id: 'b', body: (await sealEvent(other, id, p)).body },
    { seq: 5, id: 'c', body: await seal(k, ROOM, pad(utf8('{"not":"signed"}'))) },
    { seq: 6, id: 'd', body: await seal(k, ROOM, utf8('unpadded')) },
    { seq: 7, id: 'e', body: (await sealEvent(k, id, wrongRoom)).body.replace(/^/, '') },
  ]);
  assert.deepEqual(kinds(alex), ['unreadable', 'unreadable', 'unreadable', 'unreadable', 'unreadable']);
});

test('log: a seat handed to another device signs with the key its first device added; no one else can add one', async () => {
  const { k, sam, alex, s, all } = await twoPeople();
  // Sam's first device adds a key for the second (a join again: the floor does not change)
  const { grant, public: pub } = await newGrant();
  const m = s.put(await sam.log.seal({ kind: 'join', by: sam.me, name: 'Sam' }, pub));
  for (const d of all) await d.log.push([m]);
  const phone = await device(k, { identity: await fromGrant(grant), me: sam.me });
  await phone.log.push(s.stored);
  assert.deepEqual(phone.notices, [], 'the phone reads the log as Sam, its key among Sam’s');
  all.push(phone);
  await say(s, phone, { kind: 'speak', by: sam.me, text: 'From my phone.' }, all);
  await say(s, sam, { kind: 'pass', by: sam.me }, all);
  for (const d of [sam, alex, phone]) {
    assert.deepEqual(
      d.events.filter((e) => e.kind === 'speak' || e.kind === 'pass').map((e) => e.kind),
      ['speak', 'pass'],
    );
    assert.deepEqual(kinds(d), []);
  }
  // Alex cannot add a key for Sam: signed by Alex's key, it is forged on every screen
  const mallory = await newGrant();
  const stolen = await device(k, { identity: alex.identity, me: sam.me });
  await stolen.log.push(s.stored);
  const bad = s.put(await stolen.log.seal({ kind: 'join', by: sam.me, name: 'Sam' }, mallory.public));
  for (const d of [sam, alex]) await d.log.push([bad]);
  for (const d of [sam, alex]) assert.deepEqual(kinds(d), ['forged']);
});

test('log: two devices of one seat writing at once both count, each in its own numbers; replays and reorders are still caught', async () => {
  const { k, sam, alex, s, all } = await twoPeople();
  const { grant, public: pub } = await newGrant();
  const m = s.put(await sam.log.seal({ kind: 'join', by: sam.me, name: 'Sam' }, pub));
  for (const d of all) await d.log.push([m]);
  const phone = await device(k, { identity: await fromGrant(grant), me: sam.me });
  await phone.log.push(s.stored);
  // both of Sam's devices write before either has seen the other's event
  const fromLaptop = await sam.log.seal({ kind: 'speak', by: sam.me, text: 'From my laptop.' });
  const fromPhone = await phone.log.seal({ kind: 'timeout', by: sam.me, at: 1, minutes: 20 });
  const both = [s.put(fromLaptop), s.put(fromPhone)];
  all.push(phone);
  for (const d of all) await d.log.push(both);
  for (const d of all) {
    assert.deepEqual(kinds(d), [], 'neither event vanished, and nothing is reported');
    assert.deepEqual(
      d.events.slice(-2).map((e) => e.kind),
      ['speak', 'timeout'],
    );
  }
  // what made it so: each device names itself in what it signs
  const a = (await openEvent(k, ROOM, fromLaptop))!.payload;
  const b = (await openEvent(k, ROOM, fromPhone))!.payload;
  assert.equal(a.by, b.by);
  assert.notEqual(a.dev, b.dev, 'each device names itself in what it signs');
  // each device carries on from its own count, and the others accept it without a gap
  await say(s, phone, { kind: 'resume', by: sam.me }, all);
  await say(s, sam, { kind: 'pass', by: sam.me }, all);
  for (const d of all) assert.deepEqual(kinds(d), []);
  // the phone's event served again, or served before the phone's earlier one: refused as before
  const phoneFirst = both[1]!;
  for (const d of all) await d.log.push([s.put(phoneFirst.body)]);
  for (const d of all) assert.deepEqual(kinds(d), ['replayed']);
  const reader = await device(k);
  const [x, y] = [s.stored[4]!, s.stored[5]!]; // the phone's timeout, then its resume
  await reader.log.push(s.stored.slice(0, 4));
  await reader.log.push([
    { ...y, seq: 5 },
    { ...x, seq: 6 },
  ]);
  // the resume: a gap in the phone's numbers, and it had seen more than stands before it; the timeout
  // after it: below the phone's count
  assert.deepEqual(kinds(reader), ['missing', 'reordered', 'reordered']);
  // Alex's key cannot sign for Sam's phone: an event naming the phone's device is forged
  const forged: Payload = { ...b, n: 9, e: { kind: 'pass', by: sam.me } };
  for (const d of [sam, alex]) await d.log.push([s.put((await sealEvent(k, alex.identity, forged)).body)]);
  for (const d of [sam, alex]) assert.deepEqual(kinds(d).at(-1), 'forged');
});
