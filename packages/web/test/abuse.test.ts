// Issue 15 in the browser: a refusal that passes (the server's disk full) is a "waiting" status that
// recovers by itself with nothing lost, and a delete that fails is said to the person.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { buildServer, sqliteFile } from '@steady/server';

const dist = join(import.meta.dirname, '../dist');
const dir = mkdtempSync(join(tmpdir(), 'steady-web-abuse-'));
const cleanup: (() => Promise<void>)[] = [];
after(async () => {
  for (const c of cleanup) await c().catch(() => {});
  rmSync(dir, { recursive: true, force: true });
});

test('disk full: the person sees "waiting", nothing is lost, and it recovers; a failed delete is said', async () => {
  assert.ok(existsSync(join(dist, 'index.html')), 'the web app is not built (npm run build)');
  const { app, store } = await buildServer({ db: join(dir, 'rooms.db'), web: dist });
  await app.listen({ port: 0, host: '127.0.0.1' });
  cleanup.push(() => app.close());
  const base = `http://localhost:${(app.server.address() as { port: number }).port}`;
  const browser = await chromium.launch({
    executablePath: process.env.STEADY_CHROMIUM ?? '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
  });
  cleanup.unshift(() => browser.close());
  const a = await (await browser.newContext({ viewport: { width: 390, height: 844 } })).newPage();
  const dialogs: string[] = [];
  a.on('dialog', (d) => {
    dialogs.push(d.message());
    void d.accept();
  });

  await a.goto(`${base}/`);
  await a.getByLabel('Your name').fill('Sam');
  await a.getByRole('button', { name: 'Start a private room' }).click();
  await a.waitForURL(/\/room\/[A-Za-z0-9_-]{22}#k=/);
  // the one who made the room is seated at once (Start.tsx)
  await a.getByTestId('room-link').waitFor();
  const b = await (await browser.newContext()).newPage();
  await b.goto(a.url());
  await b.getByLabel('Your name in this room').fill('Alex');
  await b.getByRole('button', { name: 'Join the room' }).click();
  await a.getByTestId('role-line').filter({ hasText: 'You have the floor' }).waitFor();
  await a
    .getByTestId('status')
    .filter({ hasText: /^online$/ })
    .waitFor();

  // the database may not grow: the next message meets a real SQLITE_FULL
  const file = sqliteFile(store)!;
  file.pragma(`max_page_count = ${file.pragma('page_count', { simple: true })}`);
  const said = `I feel alone when plans change. ${'Really. '.repeat(600)}`;
  await a.getByLabel('Say what is true for you').fill(said);
  await a.getByRole('button', { name: 'Send', exact: true }).click();
  const status = a.getByTestId('status');
  await status.filter({ hasText: /^waiting: .*full.*nothing you wrote is lost/ }).waitFor();
  // kept in the outbox: shown only as on its way, never as stored
  const said1 = a.getByText('I feel alone when plans change.');
  assert.equal(await said1.count(), 1);
  assert.equal(
    await a.locator('.turn.pending').filter({ hasText: 'I feel alone when plans change.' }).count(),
    1,
    'shown as on its way, not as sent',
  );

  // space again: the kept message is resent by itself, stored once, and the status is online
  file.pragma('max_page_count = 1073741823');
  await status.filter({ hasText: /^online$/ }).waitFor({ timeout: 15_000 });
  await a.getByText('I feel alone when plans change.').first().waitFor();
  await a.locator('.turn.pending').waitFor({ state: 'detached' });
  assert.equal(await a.getByText('I feel alone when plans change.').count(), 1, 'stored once');

  // a delete that fails (the database gone under the server) is said, and the room stays
  await store.close();
  await a.getByRole('button', { name: 'Delete for good' }).click();
  for (let i = 0; i < 50 && dialogs.length < 2; i++) await a.waitForTimeout(100);
  assert.match(dialogs[0] ?? '', /Delete this conversation/);
  assert.match(dialogs[1] ?? '', /was not deleted: .*Try again/);
  assert.match(a.url(), /\/room\//);
});

test('a room at its socket cap: the newcomer sees "waiting", not a dead end, and gets in once a place frees', async () => {
  const { app } = await buildServer({ db: join(dir, 'cap.db'), web: dist, bounds: { socketsPerRoom: 1 } });
  await app.listen({ port: 0, host: '127.0.0.1' });
  cleanup.push(() => app.close());
  const base = `http://localhost:${(app.server.address() as { port: number }).port}`;
  const browser = await chromium.launch({
    executablePath: process.env.STEADY_CHROMIUM ?? '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
  });
  cleanup.unshift(() => browser.close());
  const a = await (await browser.newContext()).newPage();
  await a.goto(`${base}/`);
  await a.getByLabel('Your name').fill('Sam');
  await a.getByRole('button', { name: 'Start a private room' }).click();
  await a.waitForURL(/\/room\/[A-Za-z0-9_-]{22}#k=/);
  // the one who made the room is seated at once (Start.tsx)
  await a
    .getByTestId('status')
    .filter({ hasText: /^online$/ })
    .waitFor();

  const b = await (await browser.newContext()).newPage();
  await b.goto(a.url());
  await b
    .getByTestId('status')
    .filter({ hasText: /^waiting: this room has 1 connections open already/ })
    .waitFor();
  await a.close(); // a place frees
  await b
    .getByTestId('status')
    .filter({ hasText: /^online$/ })
    .waitFor({ timeout: 20_000 });
});
