// The analysis API over real HTTP: the contract's JSON, batches, the edge's refusals, rate limits,
// headers, a log without text, and `steady serve` on two worker processes.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { PassThrough } from 'node:stream';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { check, hear, soften } from '@steady/engine';
import { buildApi } from '@steady/api';

let base = '';
const log: string[] = [];
const app = (() => {
  const stream = new PassThrough();
  stream.on('data', (c) => log.push(String(c)));
  return buildApi({ logger: true, logStream: stream, perMinute: 0 });
})();
before(async () => {
  base = await app.listen({ port: 0, host: '127.0.0.1' });
});
after(() => app.close());

const post = async (
  path: string,
  body: unknown,
  headers: Record<string, string> = { 'content-type': 'application/json' },
  url = base,
) => {
  const r = await fetch(url + path, {
    method: 'POST',
    headers,
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  return { status: r.status, headers: r.headers, json: (await r.json()) as Record<string, unknown> };
};

describe('steady serve API', () => {
  it('passes options through the one dispatch: relationship fits soften, an unknown ignore id is refused', async () => {
    const text = "you're never home anymore";
    const r = await post('/v1/soften', { text, options: { relationship: 'coworkers' } });
    assert.equal(r.status, 200);
    assert.deepEqual(r.json, soften(text, { relationship: 'coworkers' }));
    assert.equal(r.json.relationship, 'coworkers');
    const bad = await post('/v1/check', { reply: 'fine', options: { ignore: ['nope'] } });
    assert.equal(bad.status, 400);
    assert.equal(bad.json.error, 'bad_input');
    assert.match(String(bad.json.message), /unknown id to ignore: nope/);
  });
  it('answers hear, check and soften exactly as the engine does (the contract)', async () => {
    const msg = "You're never really here. I feel invisible.";
    assert.deepEqual((await post('/v1/hear', { text: msg })).json, JSON.parse(JSON.stringify(hear(msg))));
    const c = await post('/v1/check', {
      reply: "I was only trying to help, you're overreacting.",
      to: 'You never listen to me.',
    });
    assert.equal(c.status, 200);
    assert.deepEqual(
      c.json,
      JSON.parse(
        JSON.stringify(
          check("I was only trying to help, you're overreacting.", { to: 'You never listen to me.' }),
        ),
      ),
    );
    assert.deepEqual(
      (await post('/v1/soften', { text: 'You never listen to me.' })).json,
      JSON.parse(JSON.stringify(soften('You never listen to me.'))),
    );
    const rulesOnly = await post('/v1/check', {
      reply: 'That must feel lonely.',
      options: { models: false, ignore: ['validate'] },
    });
    assert.deepEqual(
      rulesOnly.json,
      JSON.parse(JSON.stringify(check('That must feel lonely.', { models: false, ignore: ['validate'] }))),
    );
  });

  it('takes batches of up to 100 items, in order, and refuses 101', async () => {
    const items = Array.from({ length: 100 }, (_, i) => ({
      reply: i % 2 ? 'Whatever.' : 'It sounds like you felt alone.',
      to: 'You never listen.',
    }));
    const r = await post('/v1/check', { items });
    assert.equal(r.status, 200);
    const results = r.json.results as { steadiness: number; text: string }[];
    assert.equal(results.length, 100);
    results.forEach((x, i) => assert.equal(x.text, items[i]!.reply));
    assert.ok(results[0]!.steadiness > results[1]!.steadiness);
    const over = await post('/v1/check', { items: [...items, items[0]] });
    assert.equal(over.status, 400);
    assert.match(String(over.json.message), /100/);
    assert.equal((await post('/v1/hear', { items: [] })).status, 400);
  });

  it('refuses bad input with a clear error and keeps serving', async () => {
    const cases: [unknown, number, RegExp][] = [
      ['{not json', 400, /not valid JSON/],
      [{ text: 42 }, 400, /string/],
      [{ text: '' }, 400, /fewer than 1|must NOT have fewer/],
      [{ text: '   ' }, 400, /empty/],
      [{ text: 'hi', extra: true }, 400, /./],
      [{ text: 'x'.repeat(100_001) }, 400, /more than 100000/],
      [[1, 2], 400, /./],
      [{ text: 'x'.repeat(3 * 1024 * 1024) }, 413, /larger/],
    ];
    for (const [body, status, message] of cases) {
      const r = await post('/v1/hear', body);
      assert.equal(r.status, status, JSON.stringify(body).slice(0, 60));
      assert.equal(typeof r.json.error, 'string');
      assert.match(String(r.json.message), message);
    }
    assert.equal((await post('/v1/hear', 'text', { 'content-type': 'text/plain' })).status, 415);
    assert.equal((await post('/v1/check', { text: 'hi' })).status, 400, 'check wants reply');
    assert.equal((await fetch(`${base}/health`)).status, 200);
  });

  it('publishes its OpenAPI document and strict headers', async () => {
    const r = await fetch(`${base}/openapi.json`);
    const doc = (await r.json()) as { openapi: string; paths: Record<string, unknown> };
    assert.equal(doc.openapi, '3.1.0');
    assert.deepEqual(
      Object.keys(doc.paths)
        .filter((p) => p.startsWith('/v1/'))
        .sort(),
      ['/v1/check', '/v1/hear', '/v1/soften'],
    );
    assert.match(r.headers.get('content-security-policy') ?? '', /default-src 'none'/);
    assert.equal(r.headers.get('x-content-type-options'), 'nosniff');
    assert.equal(r.headers.get('cache-control'), 'no-store');
  });

  it('logs no message text', async () => {
    const secret = 'Zanzibarquux feels invisible';
    await post('/v1/hear', { text: secret });
    await post('/v1/hear', { text: 7, note: secret });
    await new Promise((r) => setTimeout(r, 50));
    const all = log.join('');
    assert.match(all, /\/v1\/hear/);
    assert.ok(!all.includes('Zanzibarquux'), 'a message reached the log');
  });

  it('limits requests per IP address, with Retry-After', async () => {
    const limited = buildApi({ perMinute: 60 }); // a burst of 10
    const url = await limited.listen({ port: 0, host: '127.0.0.1' });
    try {
      const statuses: number[] = [];
      for (let i = 0; i < 12; i++)
        statuses.push((await post('/v1/hear', { text: 'I feel alone.' }, undefined, url)).status);
      assert.deepEqual(statuses.slice(0, 10), Array(10).fill(200));
      assert.deepEqual(statuses.slice(10), [429, 429]);
      const r = await fetch(`${url}/v1/hear`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: '{"text":"x"}',
      });
      assert.ok(Number(r.headers.get('retry-after')) >= 1);
      assert.equal((await fetch(`${url}/health`)).status, 200, 'reads are not limited');
    } finally {
      await limited.close();
    }
  });

  it('steady serve runs worker processes that share the port', async () => {
    const port = await new Promise<number>((resolve) => {
      const s = createServer().listen(0, '127.0.0.1', () => {
        const p = (s.address() as { port: number }).port;
        s.close(() => resolve(p));
      });
    });
    const bin = fileURLToPath(new URL('../../cli/bin/steady.js', import.meta.url));
    const child = spawn(process.execPath, [bin, 'serve', '--port', String(port), '--workers', '2'], {
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    try {
      let err = '';
      await new Promise<void>((resolve, reject) => {
        const t = setTimeout(() => reject(new Error(`serve did not start: ${err}`)), 30_000);
        child.stderr.on('data', (c) => {
          err += c;
          if (/2 workers on/.test(err)) {
            clearTimeout(t);
            resolve();
          }
        });
        child.on('exit', (code) => reject(new Error(`serve exited ${code}: ${err}`)));
      });
      const rs = await Promise.all(
        Array.from({ length: 20 }, () =>
          post('/v1/check', { reply: 'I hear you.' }, undefined, `http://127.0.0.1:${port}`),
        ),
      );
      assert.ok(rs.every((r) => r.status === 200));
      // the primary hands connections round-robin: both workers answered
      const workers = new Set(rs.map((r) => r.headers.get('x-steady-worker')));
      assert.deepEqual([...workers].sort(), ['1', '2']);
    } finally {
      child.kill('SIGTERM');
      await new Promise((r) => child.once('exit', r));
    }
  });
});
