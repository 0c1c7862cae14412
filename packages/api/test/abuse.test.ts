// Issue 15, item 1: a huge /v1/check no longer holds the server. The engine runs on worker threads
// with a time budget; the HTTP thread stays free for the health check; overload is a clear 503.
import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { check, MAX_CONTEXT } from '@steady/engine';
import { buildApi } from '@steady/api';

const apps: ReturnType<typeof buildApi>[] = [];
after(async () => {
  for (const a of apps) await a.close();
});
async function start(o: Parameters<typeof buildApi>[0] = {}) {
  const app = buildApi({ perMinute: 0, ...o });
  apps.push(app);
  const base = await app.listen({ port: 0, host: '127.0.0.1' });
  return base;
}
const post = (base: string, path: string, body: unknown) =>
  fetch(base + path, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });

// about 1.9 MB of hostile replies with long messages: seconds of engine work, inside the 2 MiB body limit
const reply = "I was only trying to help, you're overreacting, that's not what happened. ".repeat(1200);
const to = 'You never listen to me and you always twist what I say. '.repeat(1400);
const heavy = {
  items: Array.from({ length: 12 }, () => ({ reply: reply.slice(0, 80_000), to: to.slice(0, 70_000) })),
};

describe('the analysis API under a huge request', () => {
  it('answers the health check while a huge check runs (the engine is off the HTTP thread)', async () => {
    const base = await start();
    await post(base, '/v1/hear', { text: 'warm' }); // the engine thread is up
    const order: string[] = [];
    const big = post(base, '/v1/check', heavy).then(async (r) => {
      order.push('check');
      return r;
    });
    await new Promise((r) => setTimeout(r, 100)); // the check is on the engine thread now
    const health = await fetch(`${base}/health`);
    order.push('health');
    assert.equal(health.status, 200);
    const r = await big;
    assert.equal(r.status, 200);
    assert.equal(((await r.json()) as { results: unknown[] }).results.length, 12);
    assert.deepEqual(order, ['health', 'check'], 'the health check did not wait for the engine');
  });

  it('a request over its time budget is answered 503 timeout, and the server serves again after', async () => {
    const base = await start({ engine: { timeoutMs: 50 } });
    const r = await post(base, '/v1/check', heavy);
    assert.equal(r.status, 503);
    assert.equal(r.headers.get('retry-after'), '1');
    const j = (await r.json()) as { error: string; message: string };
    assert.equal(j.error, 'timeout');
    assert.match(j.message, /longer than/);
    // the ended thread is replaced: once the new one has loaded the engine, requests are served again
    // (meanwhile a 50 ms budget is spent waiting for it, so those answer 503 timeout too)
    let status = 0;
    for (let i = 0; i < 100 && status !== 200; i++) {
      status = (await post(base, '/v1/hear', { text: 'You never listen to me.' })).status;
      if (status !== 200) await new Promise((r) => setTimeout(r, 100));
    }
    assert.equal(status, 200);
  });

  it('when the engine threads and the queue are full, a request is refused at once as busy', async () => {
    const base = await start({ engine: { queue: 1 } });
    await post(base, '/v1/hear', { text: 'warm' });
    const rs = await Promise.all(Array.from({ length: 4 }, () => post(base, '/v1/check', heavy)));
    const codes = rs.map((r) => r.status).sort();
    assert.deepEqual(codes, [200, 200, 503, 503]);
    for (const r of rs)
      if (r.status === 503) assert.equal(((await r.json()) as { error: string }).error, 'busy');
    assert.equal((await fetch(`${base}/health`)).status, 200);
  });

  it('check reads only the last MAX_CONTEXT characters of `to`', () => {
    const end = 'You never listen to me. I feel invisible.';
    const long = `${'We talked about the weekend plans and the shopping list. '.repeat(4000)}${end}`;
    const r = "I was only trying to help, you're overreacting.";
    assert.deepEqual(check(r, { to: long }), check(r, { to: long.slice(-MAX_CONTEXT) }));
    // so the cost of `to` stops growing: 8x the message costs about the same (ratio of medians)
    const median = (t: string) => {
      const xs: number[] = [];
      for (let i = 0; i < 5; i++) {
        const s = performance.now();
        check(r, { to: t });
        xs.push(performance.now() - s);
      }
      return xs.sort((a, b) => a - b)[2]!;
    };
    const base = long.slice(0, 100_000);
    median(base);
    const ratio = median(long.slice(0, 100_000).repeat(8)) / median(base);
    assert.ok(ratio < 3, `8x the message took ${ratio.toFixed(1)}x as long`);
  });
});
