import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  allowed,
  asFloorEvent,
  parseClient,
  replay,
  step,
  initialFloor,
  DEFAULT_TIMEOUT_MINUTES,
  ROLE_LINES,
  roleLine,
  TIMEOUT_RANGE,
  clampMinutes,
  minutesText,
  timeoutEnd,
  type FloorEvent,
} from '../src/index.ts';

const join: FloorEvent[] = [
  { kind: 'join', by: 'p1', name: 'Sam' },
  { kind: 'join', by: 'p2', name: 'Alex' },
];

test('nothing can happen until both people are in the room', () => {
  const f = replay([join[0]!, { kind: 'speak', by: 'p1', text: 'hi' }]);
  assert.equal(f.turns.length, 0);
  assert.equal(f.refused, 1);
  assert.deepEqual(allowed(f, 'a'), []);
});

test('the full cycle: speak, reflect, not quite, reflect again, yes, more, pass, swap', () => {
  let f = replay(join);
  assert.equal(f.speaker, 'a');
  assert.deepEqual(allowed(f, 'b'), ['timeout']); // the listener waits
  f = step(f, { kind: 'speak', by: 'p1', text: "You're never really here." });
  assert.equal(f.phase, 'reflect');
  f = step(f, { kind: 'reflect', by: 'p2', text: 'You want me to put my phone down.' });
  assert.equal(f.phase, 'confirm');
  f = step(f, { kind: 'confirm', by: 'p1', yes: false, text: "It's more that I feel alone." });
  assert.equal(f.phase, 'reflect');
  f = step(f, { kind: 'reflect', by: 'p2', text: "It sounds like you've felt alone even when I'm around." });
  assert.equal(f.attempts, 2);
  f = step(f, { kind: 'confirm', by: 'p1', yes: true });
  assert.equal(f.phase, 'understood');
  assert.ok(allowed(f, 'b').includes('more'));
  assert.ok(allowed(f, 'a').includes('pass'));
  f = step(f, { kind: 'more', by: 'p2' });
  assert.equal(f.phase, 'speak');
  assert.equal(f.speaker, 'a');
  f = step(f, { kind: 'speak', by: 'p1', text: 'That is all, really.' });
  f = step(f, { kind: 'reflect', by: 'p2', text: "So that's the heart of it." });
  f = step(f, { kind: 'confirm', by: 'p1', yes: true });
  f = step(f, { kind: 'pass', by: 'p1' });
  assert.equal(f.speaker, 'b');
  assert.equal(f.phase, 'speak');
  assert.equal(f.attempts, 0);
  assert.equal(f.refused, 0);
  assert.equal(f.turns.length, 10);
});

test('out-of-turn events are refused and change nothing', () => {
  let f = replay(join);
  const before = f;
  f = step(f, { kind: 'reflect', by: 'p2', text: 'too early' });
  f = step(f, { kind: 'confirm', by: 'p1', yes: true });
  f = step(f, { kind: 'pass', by: 'p1' });
  f = step(f, { kind: 'speak', by: 'p2', text: 'not my floor' });
  f = step(f, { kind: 'speak', by: 'stranger', text: 'hello' });
  assert.equal(f.refused, 5);
  assert.deepEqual(f.turns, before.turns);
  assert.equal(f.speaker, 'a');
});

test('a third person cannot take a seat; rejoining keeps the same role', () => {
  let f = replay([
    ...join,
    { kind: 'join', by: 'p3', name: 'Eve' },
    { kind: 'join', by: 'p1', name: 'Sam again' },
  ]);
  assert.equal(f.people.a?.id, 'p1');
  assert.equal(f.people.b?.id, 'p2');
  assert.equal(f.refused, 1);
  f = step(f, { kind: 'speak', by: 'p3', text: 'hi' });
  assert.equal(f.turns.length, 0);
});

test('a time-out pauses the floor and keeps the phase; its caller may end it at once', () => {
  let f = replay(join);
  f = step(f, { kind: 'speak', by: 'p1', text: 'I feel scared.' });
  f = step(f, { kind: 'timeout', by: 'p2', at: 1000, minutes: NaN });
  assert.deepEqual(f.timeout, { by: 'b', at: 1000, minutes: DEFAULT_TIMEOUT_MINUTES });
  assert.deepEqual(allowed(f, 'b'), ['resume', 'extend'], 'the caller may end or extend it');
  assert.deepEqual(allowed(f, 'a', 2000), [], 'the other person waits');
  const refused = step(f, { kind: 'reflect', by: 'p2', text: 'during the break' });
  assert.equal(refused.refused, f.refused + 1);
  f = step(f, { kind: 'resume', by: 'p2', at: 2000 });
  assert.equal(f.timeout, null);
  assert.equal(f.phase, 'reflect');
  assert.deepEqual(f.turns.at(-1), { kind: 'resume', role: 'b', caller: 'b', at: 2000 });
});

test('only the caller ends a time-out early; at its end either may come back or extend it', () => {
  const end = 1000 + 5 * 60_000;
  let f = replay([...join, { kind: 'timeout', by: 'p1', at: 1000, minutes: 5 }]);
  for (const early of [
    { kind: 'resume', by: 'p2', at: end - 1 },
    { kind: 'resume', by: 'p2' }, // no time given: not up
    { kind: 'extend', by: 'p2', at: end - 1, minutes: 10 },
  ] as FloorEvent[]) {
    const g = step(f, early);
    assert.equal(g.refused, f.refused + 1, JSON.stringify(early));
    assert.ok(g.timeout);
  }
  assert.deepEqual(allowed(f, 'b', end), ['resume', 'extend']);
  // the listener asks for ten more minutes when the time is up: a fresh time-out, theirs now
  f = step(f, { kind: 'extend', by: 'p2', at: end, minutes: 10 });
  assert.deepEqual(f.timeout, { by: 'b', at: end, minutes: 10 });
  assert.deepEqual(f.turns.at(-1), { kind: 'extend', role: 'b', at: end, minutes: 10 });
  assert.deepEqual(allowed(f, 'a', end + 60_000), [], 'and now the first caller waits');
  f = step(f, { kind: 'resume', by: 'p1', at: end + 10 * 60_000 });
  assert.equal(f.timeout, null);
  assert.deepEqual(
    f.turns.at(-1),
    { kind: 'resume', role: 'a', caller: 'b', at: end + 10 * 60_000 },
    'not "back": b had called it',
  );
});

test('time-out lengths: a minutes box is clamped, empty is the default, and the copy counts right', () => {
  assert.equal(clampMinutes(''), DEFAULT_TIMEOUT_MINUTES);
  assert.equal(clampMinutes('  '), DEFAULT_TIMEOUT_MINUTES);
  assert.equal(clampMinutes('abc'), DEFAULT_TIMEOUT_MINUTES);
  assert.equal(clampMinutes('0'), DEFAULT_TIMEOUT_MINUTES);
  assert.equal(clampMinutes('5'), 5);
  assert.equal(clampMinutes('205'), TIMEOUT_RANGE.max);
  assert.equal(clampMinutes(1.4), 1);
  assert.equal(minutesText(1), '1 minute');
  assert.equal(minutesText(20), '20 minutes');
  assert.equal(timeoutEnd({ at: 0, minutes: 2 }), 120_000);
  assert.deepEqual(asFloorEvent({ kind: 'extend', by: 'p1', at: 5, minutes: 10 }), {
    kind: 'extend',
    by: 'p1',
    at: 5,
    minutes: 10,
  });
  assert.deepEqual(asFloorEvent({ kind: 'resume', by: 'p1', at: 5 }), { kind: 'resume', by: 'p1', at: 5 });
  assert.equal(asFloorEvent({ kind: 'extend', by: 'p1', minutes: 10 }), null);
});

test('the first person in sets the room up: who the two are, and who speaks first', () => {
  const f = replay([
    { kind: 'join', by: 'p1', name: 'Mum', relationship: 'parent_child', first: 'them' },
    { kind: 'join', by: 'p2', name: 'Kit', relationship: 'coworkers', first: 'me' }, // the second cannot
  ]);
  assert.equal(f.relationship, 'parent_child');
  assert.equal(f.speaker, 'b');
  assert.deepEqual(allowed(f, 'b'), ['timeout', 'speak']);
  assert.equal(step(f, { kind: 'speak', by: 'p1', text: 'not mine' }).refused, f.refused + 1);
  assert.equal(replay(join).relationship, null);
  assert.equal(replay(join).speaker, 'a');
  assert.match(roleLine('speaker', 'Kit'), /Kit will say back/);
  assert.doesNotMatch(roleLine('speaker', 'Kit') + ROLE_LINES.speaker + ROLE_LINES.listener, /partner/i);
  assert.deepEqual(asFloorEvent({ kind: 'join', by: 'p1', name: 'A', relationship: 'boss', first: 'x' }), {
    kind: 'join',
    by: 'p1',
    name: 'A',
  });
  assert.deepEqual(
    asFloorEvent({ kind: 'join', by: 'p1', name: 'A', relationship: 'friends', first: 'me' }),
    {
      kind: 'join',
      by: 'p1',
      name: 'A',
      relationship: 'friends',
      first: 'me',
    },
  );
});

test('each turn keeps when it was sent, for the export', () => {
  const f = replay([
    ...join,
    { kind: 'speak', by: 'p1', text: 'a', at: 1000 },
    { kind: 'reflect', by: 'p2', text: 'b', at: 2000 },
    { kind: 'confirm', by: 'p1', yes: true }, // from before events carried a time
  ]);
  assert.deepEqual(
    f.turns.map((t) => t.at),
    [1000, 2000, undefined],
  );
  assert.deepEqual(asFloorEvent({ kind: 'speak', by: 'p1', text: 'a', at: 5 }), {
    kind: 'speak',
    by: 'p1',
    text: 'a',
    at: 5,
  });
  assert.deepEqual(asFloorEvent({ kind: 'pass', by: 'p1', at: 'noon' }), { kind: 'pass', by: 'p1' });
});

test('the same log gives the same floor in both browsers', () => {
  const log: FloorEvent[] = [
    ...join,
    { kind: 'speak', by: 'p1', text: 'a' },
    { kind: 'reflect', by: 'p2', text: 'b' },
    { kind: 'reflect', by: 'p2', text: 'c' },
    { kind: 'confirm', by: 'p1', yes: true },
  ];
  assert.deepEqual(replay(log), replay([...log]));
  assert.equal(replay(log).turns.filter((t) => t.kind === 'reflect').length, 2); // a second try before the answer is allowed
});

test('step never mutates the state it is given', () => {
  const f = replay(join);
  const copy = structuredClone(f);
  step(f, { kind: 'speak', by: 'p1', text: 'x' });
  assert.deepEqual(f, copy);
  assert.deepEqual(initialFloor().turns, []);
});

test('decrypted events of the wrong shape are dropped, not thrown on', () => {
  for (const bad of [
    null,
    3,
    'x',
    [],
    {},
    { kind: 'speak', by: 'p1' },
    { kind: 'speak', by: 'p1', text: 5 },
    { kind: 'nope', by: 'p1' },
    { kind: 'timeout', by: 'p1', at: 'now', minutes: 20 },
    { kind: 'join', by: 'x'.repeat(100), name: 'n' },
  ]) {
    assert.equal(asFloorEvent(bad), null, JSON.stringify(bad));
  }
  assert.deepEqual(asFloorEvent({ kind: 'more', by: 'p2', extra: 1 }), { kind: 'more', by: 'p2' });
});

test('wire frames are validated with clear errors', () => {
  assert.equal(parseClient('{').ok, false);
  const r = parseClient('{"type":"send","id":"short","body":"x"}');
  assert.ok(!r.ok && r.code === 'bad_message' && /send.id/.test(r.message));
  const big = parseClient(JSON.stringify({ type: 'send', id: 'abcdefgh', body: 'x'.repeat(70000) }));
  assert.ok(!big.ok && big.code === 'too_large');
  assert.ok(!parseClient('[1]').ok);
  assert.ok(!parseClient('{"type":"hello","room":"../../etc","auth":"00","since":0}').ok);
  const ok = parseClient(
    JSON.stringify({ type: 'hello', room: 'A'.repeat(22), auth: 'a'.repeat(64), since: 0 }),
  );
  assert.ok(ok.ok && ok.msg.type === 'hello');
});
