// A replacement engine thread that fails to start is tried again with backoff, and meanwhile requests
// get a clear 503 `restarting` (before, the pool took one failed start for fatal and never served
// again). Real worker threads: the test's entry (written to a temporary folder, not the repo) crashes
// its thread on a marked request and refuses to load the engine on its second start only; every other
// start loads the real engine worker.
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, test } from 'node:test';
import { buildApi } from '@steady/api';

const dir = mkdtempSync(join(tmpdir(), 'steady-pool-'));
const count = join(dir, 'starts');
writeFileSync(count, '0');
const entry = join(dir, 'entry.mjs');
writeFileSync(
  entry,
  `import { parentPort, workerData } from 'node:worker_threads';
import { readFileSync, writeFileSync } from 'node:fs';
const n = Number(readFileSync(workerData.count, 'utf8')) + 1;
writeFileSync(workerData.count, String(n));
if (n === 2) throw new Error('could not load the engine (made to fail once by the test)');
// a marked job makes the thread fall over before the engine sees it
const on = parentPort.on.bind(parentPort);
parentPort.on = (event, f) =>
  on(event, event !== 'message' ? f : (j) => {
    if (j.item?.text?.startsWith('CRASH')) throw new Error('the thread fell over (test)');
    f(j);
  });
await import(workerData.real);
`,
);
const real = pathToFileURL(join(import.meta.dirname, '../src/engine-worker.mjs')).href;

const app = buildApi({
  perMinute: 0,
  engine: { entry: pathToFileURL(entry), workerData: { count, real }, restartMs: 1500 },
});
after(() => app.close());

const hear = (base: string, text: string) =>
  fetch(`${base}/v1/hear`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ text }),
  });
// over INLINE_CHARS, so it goes to the engine thread rather than staying on the HTTP thread
const long = `You never listen to me. ${'I keep saying it and nothing changes. '.repeat(150)}`;

test('a replacement thread that fails to start: 503 restarting meanwhile, then served again', async () => {
  const base = await app.listen({ port: 0, host: '127.0.0.1' });
  assert.equal((await hear(base, long)).status, 200, 'the first thread serves');
  // the thread falls over; its replacement (the second start) cannot load the engine
  const crashed = await hear(base, `CRASH ${long}`);
  assert.equal(crashed.status, 500, 'the request the thread fell over on fails');
  const r = await hear(base, long);
  assert.equal(r.status, 503, 'refused while the engine restarts, not failed for ever');
  assert.equal(r.headers.get('retry-after'), '1');
  const j = (await r.json()) as { error: string; message: string };
  assert.equal(j.error, 'restarting');
  assert.match(j.message, /engine is restarting after a thread failed to start; try again/);
  assert.equal((await fetch(`${base}/health`)).status, 200, 'the server itself stays up');
  // after the backoff the third start loads the engine: served again (bounded wait for that state)
  let status = 0;
  for (let i = 0; i < 150 && status !== 200; i++) {
    status = (await hear(base, long)).status;
    if (status !== 200) await new Promise((ok) => setTimeout(ok, 100));
  }
  assert.equal(status, 200);
  assert.equal(Number((await import('node:fs')).readFileSync(count, 'utf8')), 3, 'three starts in all');
});
