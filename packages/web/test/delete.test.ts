// Deleting a room, in Debian's Chromium: one person's "Delete for good" reaches the other first, with the
// time it will happen and an export; either can keep the room; when both delete, it goes at once.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import type { Browser } from 'playwright-core';
import { DELETE_GRACE_MS } from '@steady/server';
import { startApp } from './harness.ts';
import { openRoom, speak } from './rooms.ts';

let base = '';
let browser: Browser;
let stop: () => Promise<void>;

before(async () => {
  ({ base, browser, stop } = await startApp('delete'));
});
after(() => stop?.());

test('one asks to delete: the other is told first and can export; keep calls it off; both asking deletes', async () => {
  const { a, b, link, errors } = await openRoom(base, browser);
  await speak({ a, b, link, errors }, 'I felt alone at the party.');
  for (const p of [a, b]) p.on('dialog', (d) => void d.accept());

  const asked = Date.now();
  await a.getByRole('button', { name: 'Delete for good' }).click();
  const notice = b.getByTestId('delete-notice');
  await notice.waitFor();
  await a.getByTestId('delete-notice').waitFor();
  assert.ok(a.url().includes('/room/'), 'the one who asked stays until it happens');
  const when = await notice.locator('strong').innerText();
  const expected = new Date(asked + DELETE_GRACE_MS);
  assert.ok(when.includes(expected.toLocaleString('en-US', { weekday: 'long' })), `the day it goes: ${when}`);

  // Alex exports before it goes: the whole conversation
  const [download] = await Promise.all([
    b.waitForEvent('download'),
    notice.getByRole('button', { name: 'Export Markdown' }).click(),
  ]);
  const md = readFileSync((await download.path())!, 'utf8');
  assert.match(md, /I felt alone at the party\./);

  // Alex keeps it: called off on both screens
  await notice.getByRole('button', { name: 'Keep the conversation' }).click();
  await notice.waitFor({ state: 'detached' });
  await a.getByTestId('delete-notice').waitFor({ state: 'detached' });

  // asked again, and Alex agrees: gone at once, for both
  await a.getByRole('button', { name: 'Delete for good' }).click();
  await notice.waitFor();
  await notice.getByRole('button', { name: 'Delete it now' }).click();
  await b.waitForURL(`${base}/`);
  await a.getByText('This conversation was deleted for good.').waitFor();
  const gone = await (await browser.newContext()).newPage();
  await gone.goto(link);
  await gone
    .getByRole('alert')
    .filter({ hasText: /no such room|deleted/i })
    .waitFor();
  assert.equal(
    await a.evaluate(
      () => Object.keys(localStorage).filter((k) => k.includes(location.pathname.slice(6))).length,
    ),
    0,
    'nothing of the room is kept on the device',
  );
  assert.deepEqual(errors, []);
});
