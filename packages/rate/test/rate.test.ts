// The token bucket on a clock the test moves: a burst, then the steady rate, per key.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { RateLimit } from '../src/index.ts';

test('a burst, then one request per interval, each key its own bucket', () => {
  let now = 0;
  const r = new RateLimit(60, 3, () => now); // one a second, bursts of three
  assert.deepEqual([r.take('a'), r.take('a'), r.take('a')], [0, 0, 0]);
  assert.equal(r.take('a'), 1, 'the fourth waits a second');
  assert.equal(r.take('b'), 0, 'another key has its own bucket');
  now += 1000;
  assert.equal(r.take('a'), 0);
  assert.ok(r.take('a', 3) > 0, 'a costly request waits for enough tokens');
  now += 10 * 60_000;
  assert.equal(r.take('a', 3), 0, 'the bucket refills only up to the burst');
  assert.ok(r.take('a') > 0);
});
