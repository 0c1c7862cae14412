// The browser tests' shared setup: the built app served by a real room server on SQLite, and Debian's
// Chromium driven by playwright-core. A missing browser or build is a failure, not a skip: .ci/run
// installs Debian's chromium and `npm test` builds the app first.
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { buildServer } from '@steady/server';

const CHROMIUM = process.env.STEADY_CHROMIUM ?? '/usr/bin/chromium';
const dist = join(import.meta.dirname, '../dist');
// Tests leave the tree clean: screenshots go to a temporary folder, and to docs/screenshots only when
// asked for (`npm run screenshots`), since every run differs from the committed ones by a few pixels.
export const shots = process.env.STEADY_SCREENSHOTS
  ? join(import.meta.dirname, '../../../docs/screenshots')
  : mkdtempSync(join(tmpdir(), 'steady-shots-'));

export interface App {
  base: string;
  browser: Browser;
  /** The server's SQLite file (tests look into it for plaintext). */
  db: string;
  /** Move the server's clock (which dates stored messages, and so times a time-out) forward. */
  skip(ms: number): void;
  stop(): Promise<void>;
}

export async function startApp(name: string): Promise<App> {
  assert.ok(existsSync(CHROMIUM), `Chromium not found at ${CHROMIUM} (apt-get install chromium)`);
  assert.ok(existsSync(join(dist, 'index.html')), 'the web app is not built (npm run build)');
  const db = join(mkdtempSync(join(tmpdir(), `steady-${name}-`)), 'rooms.db');
  let ahead = 0;
  const { app } = await buildServer({ db, web: dist, clock: () => Date.now() + ahead });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
  });
  mkdirSync(shots, { recursive: true });
  return {
    base: `http://localhost:${(app.server.address() as { port: number }).port}`,
    browser,
    db,
    skip: (ms) => void (ahead += ms),
    async stop() {
      await browser.close();
      await app.close();
    },
  };
}
