// `npm run load` at a small size, as a test: the script runs end to end against both setups (SQLite, and
// PostgreSQL + Redis across two processes) and every message it sends is relayed once. Full-size runs
// (1,000 rooms) are benchmarks: docs/benchmarks.md.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const script = fileURLToPath(new URL('../../../scripts/load.ts', import.meta.url));

test('npm run load, 20 rooms for 3 s on both setups: every message relayed once, no errors', {
  timeout: 180_000,
}, () => {
  const r = spawnSync(
    process.execPath,
    ['--import', 'tsx', script, '--rooms', '20', '--seconds', '3', '--rate', '2', '--json'],
    { encoding: 'utf8', timeout: 170_000 },
  );
  assert.equal(r.status, 0, r.stderr);
  const results = JSON.parse(r.stdout) as {
    setup: string;
    sockets: number;
    sent: number;
    delivered: number;
    errors: number;
    dups: number;
    lost: number;
    p50: number;
    p99: number;
  }[];
  assert.deepEqual(
    results.map((x) => x.setup),
    ['SQLite, 1 process', 'PostgreSQL + Redis, 2 processes'],
  );
  for (const x of results) {
    assert.equal(x.sockets, 40, `${x.setup}: two sockets per room`);
    assert.ok(x.sent > 100, `${x.setup}: the clients talked (${x.sent} messages)`);
    assert.equal(x.delivered, x.sent, `${x.setup}: every message relayed`);
    assert.deepEqual(
      [x.errors, x.dups, x.lost],
      [0, 0, 0],
      `${x.setup}: no errors, nothing twice, nothing missing`,
    );
    assert.ok(x.p50 > 0 && x.p99 >= x.p50, `${x.setup}: latencies measured`);
  }
  assert.equal(
    spawnSync(process.execPath, ['--import', 'tsx', script, '--rooms', '0'], { encoding: 'utf8' }).status,
    2,
    'bounded: out-of-range sizes are refused',
  );
});
