// "Only the caller ends a time-out early", held by what each screen can check: the caller is whoever
// signed the time-out (RoomLog binds `by` to a signature), an early end counts only when signed by the
// caller, and the time-out is timed by the server's clock when it stored each event (`t`), never by the
// `at` a sender writes into their own event. Real RoomLogs, real signatures, the floor replayed.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { replay, type FloorEvent, type Stored } from '@steady/protocol';
import { newIdentity, newRoomKey, randomId, sealEvent, type RoomKey } from '../src/room-crypto/index.ts';
import { RoomLog, type Notice } from '../src/room-log.ts';

const ROOM = 'AAAAAAAAAAAAAAAAAAAAAA';
const MIN = 60_000;

async function person(k: RoomKey, name: string) {
  const me = randomId();
  const identity = await newIdentity();
  const events: FloorEvent[] = [];
  const notices: Notice[] = [];
  const log = new RoomLog({
    room: ROOM,
    key: k,
    me,
    identity,
    onEvents: (e) => events.push(...e),
    onNotice: (n) => notices.push(n),
  });
  return { me, name, identity, log, events, notices };
}

test('time-out: the other person cannot end or extend it early by dating their event late; the caller can; at the end either may', async () => {
  const k = await newRoomKey();
  const alex = await person(k, 'Alex');
  const sam = await person(k, 'Sam');
  const all = [alex, sam];
  const stored: Stored[] = [];
  // the server stores each body at its own clock, `t`, and both read it
  const at = async (t: number, body: string) => {
    const m = { seq: stored.length + 1, id: randomId(), body, t };
    stored.push(m);
    for (const p of all) await p.log.push([m]);
  };
  const T = Date.UTC(2026, 0, 1, 10, 0);
  await at(T - 2 * MIN, await alex.log.seal({ kind: 'join', by: alex.me, name: 'Alex' }));
  await at(T - MIN, await sam.log.seal({ kind: 'join', by: sam.me, name: 'Sam' }));
  // Alex's clock runs an hour slow: the pause is still timed from when the server stored it
  await at(T, await alex.log.seal({ kind: 'timeout', by: alex.me, at: T - 60 * MIN, minutes: 20 }));
  for (const p of all) assert.deepEqual(replay(p.events).timeout, { by: 'a', at: T, minutes: 20 });

  // Sam, five minutes in, claims it is ten hours later: refused on both screens, and why is kept
  await at(T + 5 * MIN, await sam.log.seal({ kind: 'resume', by: sam.me, at: T + 600 * MIN }));
  await at(T + 6 * MIN, await sam.log.seal({ kind: 'extend', by: sam.me, at: T + 600 * MIN, minutes: 10 }));
  for (const p of all) {
    const f = replay(p.events);
    assert.deepEqual(f.timeout, { by: 'a', at: T, minutes: 20 }, `${p.name}: the pause goes on`);
    assert.deepEqual(f.early, { role: 'b', at: T + 6 * MIN, until: T + 20 * MIN });
    assert.equal(f.refused, 2);
  }
  // Sam signing a "come back" in Alex's name: forged, never reaches the floor
  const mine = await newIdentity();
  const forged = await sealEvent(k, mine, {
    v: 2,
    room: ROOM,
    by: alex.me,
    n: 3,
    prev: '',
    seen: 5,
    e: { kind: 'resume', by: alex.me, at: T + 7 * MIN },
  });
  await at(T + 7 * MIN, forged.body);
  for (const p of all) {
    assert.deepEqual(
      p.notices.map((n) => n.kind),
      ['forged'],
    );
    assert.ok(replay(p.events).timeout, 'still paused');
  }
  // Alex, who called it, ends it early: taken
  await at(T + 8 * MIN, await alex.log.seal({ kind: 'resume', by: alex.me, at: T - 52 * MIN }));
  for (const p of all) {
    const f = replay(p.events);
    assert.equal(f.timeout, null);
    assert.equal(f.early, null);
  }

  // A second pause: Sam's return stored once its time is up is taken, whatever Sam's clock says
  await at(T + 30 * MIN, await alex.log.seal({ kind: 'timeout', by: alex.me, at: T - 30 * MIN, minutes: 1 }));
  await at(T + 31 * MIN, await sam.log.seal({ kind: 'resume', by: sam.me, at: T }));
  for (const p of all) {
    const f = replay(p.events);
    assert.equal(f.timeout, null, `${p.name}: the time was up by the server's clock`);
    assert.deepEqual(f.turns.at(-1), { kind: 'resume', role: 'b', caller: 'a', at: T });
  }
  assert.deepEqual(replay(alex.events), replay(sam.events), 'both screens agree');
});
