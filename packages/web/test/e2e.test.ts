// End to end, in Debian's Chromium with two browser contexts: the full cycle of the frame, a reload in
// the middle, and a look into the SQLite file for any plaintext.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { shots, startApp } from './harness.ts';

let base = '';
let browser: Browser;
let db = '';
let stop: () => Promise<void>;

before(async () => {
  ({ base, browser, db, stop } = await startApp('e2e'));
});
after(() => stop?.());

const SPOKEN = "You're never really here. I feel invisible.";
const DEFENSIVE = "I was only trying to help, you're overreacting.";
const REFLECTION = "It sounds like you've felt alone even when I'm around. Is that right?";

async function shot(p: Page, name: string): Promise<void> {
  await p.screenshot({ path: join(shots, `${name}.png`), fullPage: true });
}

test('two people complete the cycle: speak, flagged draft, revised reflection, yes, swap, time-out, resume', async () => {
  const a = await (await browser.newContext({ viewport: { width: 900, height: 900 } })).newPage();
  const b = await (await browser.newContext({ viewport: { width: 390, height: 844 } })).newPage(); // a phone-width screen
  const errors: string[] = [];
  for (const p of [a, b]) p.on('pageerror', (e) => errors.push(e.message));

  await a.goto(`${base}/`);
  await a.getByLabel('Your name').fill('Sam');
  await shot(a, 'home');
  await a.getByRole('button', { name: 'Start a private room' }).click();
  await a.waitForURL(/\/room\/[A-Za-z0-9_-]{22}#k=/);
  const link = a.url();
  assert.ok(new URL(link).hash.length > 40, 'the key lives in the fragment');
  // the one who made the room is seated at once
  await a.getByTestId('room-link').waitFor();

  await b.goto(link);
  await b.getByLabel('Your name in this room').fill('Alex');
  await b.getByRole('button', { name: 'Join the room' }).click();
  await a.getByTestId('role-line').filter({ hasText: 'You have the floor' }).waitFor();
  await b.getByTestId('role-line').filter({ hasText: 'You are listening' }).waitFor();
  assert.equal(await b.getByTestId('floor-holder').textContent(), 'Sam');

  // Sam speaks; blame-shaped words are marked and a gentler start is offered.
  await a.getByLabel('Say what is true for you').fill(SPOKEN);
  await a.getByText('A gentler start').waitFor();
  await shot(a, 'speaker-soften');
  await a.getByRole('button', { name: 'Send', exact: true }).click();

  // Alex hears beneath it.
  await b.getByText(SPOKEN).waitFor();
  await b.getByRole('button', { name: 'Hear beneath' }).click();
  await b.getByRole('region', { name: 'Hear beneath' }).waitFor();
  await b.getByText('The misreading to avoid').waitFor();
  await shot(b, 'listener-hear');

  // A defensive draft is flagged live, and stopped before sending.
  await b.getByLabel('Say back what you heard').fill(DEFENSIVE);
  await b.locator('[data-move="minimize"]').waitFor();
  await b.getByRole('button', { name: 'Send reflection' }).click();
  const dialog = b.getByRole('dialog', { name: 'Before you send' });
  await dialog.waitFor();
  await shot(b, 'interstitial');
  await dialog.getByRole('button', { name: 'Revise' }).click();
  await dialog.waitFor({ state: 'detached' });
  await b.getByLabel('Say back what you heard').fill(REFLECTION);
  await b.getByRole('button', { name: 'Send reflection' }).click();
  await a.getByText(REFLECTION).waitFor();
  assert.equal(await b.getByRole('dialog').count(), 0, 'a steady reflection goes straight through');

  // A reload in the middle restores everything from the server, decrypted with the fragment's key.
  await b.reload();
  await b.getByText(REFLECTION).waitFor();
  await b.getByText(SPOKEN).waitFor();

  await a.getByRole('button', { name: "Yes, that's it" }).click();
  await b.getByText("“Yes, that's it.”").waitFor();
  await a.getByRole('button', { name: 'Pass the floor' }).click();
  await b.getByTestId('role-line').filter({ hasText: 'You have the floor' }).waitFor();
  await a.getByTestId('floor-holder').filter({ hasText: 'Alex' }).waitFor();
  await shot(a, 'room-after-swap');

  // Alex calls a time-out: both see the timer; Alex, who asked for it, comes back early.
  await b.getByRole('button', { name: 'Time-out' }).first().click();
  await a.getByRole('region', { name: 'Time-out' }).waitFor();
  await b.getByRole('timer').waitFor();
  await shot(a, 'timeout');
  await b.getByRole('button', { name: "I'm ready: end the time-out" }).click();
  await b.getByLabel('Say what is true for you').waitFor();
  await a.getByText('is back: the conversation resumes.').waitFor();

  // The server never saw a word of it.
  const bytes = Buffer.concat([db, `${db}-wal`].filter(existsSync).map((f) => readFileSync(f)));
  for (const plain of [SPOKEN, DEFENSIVE, REFLECTION, 'invisible', 'overreacting', 'Sam', 'Alex']) {
    assert.equal(bytes.includes(Buffer.from(plain)), false, `"${plain}" found in the database`);
  }
  assert.deepEqual(errors, []);
});

test('the lens works alone, and safety replaces coaching', async () => {
  const p = await (await browser.newContext()).newPage();
  await p.goto(`${base}/lens`);
  await p.getByLabel('A message you received').fill("You're never really here. I feel invisible.");
  await p.getByText('The misreading to avoid').waitFor();
  await p.getByLabel('Your draft reply').fill("That's not true, I'm always here.");
  await p.locator('[data-move="correct"]').first().waitFor();
  await p.locator('[data-move="correct"]').first().focus();
  await p.getByRole('tooltip').first().waitFor(); // the why, on keyboard focus
  await shot(p, 'lens');
  await p.getByLabel('A message you received').fill("I don't want to be alive anymore.");
  await p.getByRole('alert').filter({ hasText: 'Safety first' }).waitFor();
  assert.equal(await p.getByText('The misreading to avoid').count(), 0, 'no coaching to absorb it calmly');
  await shot(p, 'lens-safety');
});

test('static files: encoded dot-dot paths never reach a file outside the built app', async () => {
  for (const path of [
    '/%2e%2e/%2e%2e/%2e%2e/package.json',
    '/assets/..%2f..%2f..%2fpackage.json',
    '/..%5c..%5cpackage.json',
    '/%2e%2e%2fsrc%2fmain.tsx',
  ]) {
    const r = await fetch(base + path);
    const body = await r.text();
    assert.ok(
      !body.includes('"name": "@steady/web"') && !body.includes('createRoot'),
      `${path} leaked a file (${r.status})`,
    );
    assert.ok(
      r.status === 403 || r.status === 404 || (r.status === 200 && body.includes('<div id="root">')),
      `${path}: ${r.status}`,
    );
  }
});
