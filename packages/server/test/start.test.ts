// `npm start` as a person runs it: SIGTERM to npm stops the server too (the script execs node, so no
// orphaned child keeps the port).
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createConnection, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const freePort = () =>
  new Promise<number>((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const p = (s.address() as { port: number }).port;
      s.close(() => resolve(p));
    });
  });
const connects = (port: number) =>
  new Promise<boolean>((resolve) => {
    const c = createConnection({ port, host: '127.0.0.1' });
    c.once('connect', () => {
      c.destroy();
      resolve(true);
    });
    c.once('error', () => resolve(false));
  });

test('npm start stops cleanly on SIGTERM', { timeout: 90_000 }, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'steady-start-'));
  const port = await freePort();
  const npm = spawn('npm', ['start', '--silent'], {
    cwd: root,
    env: { ...process.env, PORT: String(port), STEADY_DB: join(dir, 'steady.db') },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  try {
    let out = '';
    await new Promise<void>((resolve, reject) => {
      const t = setTimeout(() => reject(new Error(`npm start did not listen: ${out}`)), 60_000);
      npm.stdout.on('data', (c) => {
        out += c;
        if (out.includes(`http://localhost:${port}`)) {
          clearTimeout(t);
          resolve();
        }
      });
      npm.once('exit', (code) => reject(new Error(`npm start exited ${code}: ${out}`)));
    });
    assert.equal(await connects(port), true);
    const exited = new Promise<number | null>((r) => npm.once('exit', (code) => r(code)));
    npm.kill('SIGTERM');
    assert.equal(await exited, 0);
    assert.equal(await connects(port), false, 'nothing listens on the port after npm start ends');
  } finally {
    npm.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  }
});
