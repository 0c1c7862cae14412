// Starting and joining a room, in Debian's Chromium: the creator is seated at once and chooses who the
// two are and who speaks first; the link can be copied (and shared where the browser can); the invited
// person first reads what the room is; the copy names people, never "your partner" between a parent and
// child; soften words its request for the room's relationship; Delete is for members only.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser } from 'playwright-core';
import { soften } from '@steady/engine';
import { startApp } from './harness.ts';
import { PHONE } from './rooms.ts';

let base = '';
let browser: Browser;
let stop: () => Promise<void>;

before(async () => {
  ({ base, browser, stop } = await startApp('start'));
});
after(() => stop?.());

const SPOKEN = "You're never really here. I feel invisible.";

test('a parent starts a room for a parent and child, the child speaks first; copy, invite and soften follow', async () => {
  const ctx = await browser.newContext({ viewport: { width: 900, height: 900 } });
  await ctx.grantPermissions(['clipboard-read', 'clipboard-write']);
  const a = await ctx.newPage();
  const b = await (await browser.newContext({ viewport: PHONE })).newPage();
  const errors: string[] = [];
  for (const p of [a, b]) p.on('pageerror', (e) => errors.push(e.message));

  await a.goto(`${base}/`);
  await a.getByLabel('Your name').fill('Mum');
  await a.getByLabel('The two of you are').selectOption('parent_child');
  await a.getByRole('radio', { name: 'The other person' }).check();
  await a.getByRole('button', { name: 'Start a private room' }).click();
  await a.waitForURL(/\/room\/[A-Za-z0-9_-]{22}#k=/);
  const link = a.url();

  // seated at once: no join form, the link to pass on, with Copy (and Share where the browser has it)
  await a.getByTestId('room-link').waitFor();
  assert.equal(await a.getByRole('button', { name: 'Join the room' }).count(), 0);
  await a.getByRole('button', { name: 'Copy link' }).click();
  await a.getByText('Link copied.').waitFor();
  assert.equal(await a.evaluate(() => navigator.clipboard.readText()), link);
  assert.equal(
    await a.getByRole('button', { name: 'Share…' }).count(),
    (await a.evaluate(() => typeof navigator.share === 'function')) ? 1 : 0,
    'Share shows exactly where the Web Share API exists',
  );
  await a.reload(); // still seated, and only once
  await a.getByTestId('room-link').waitFor();
  assert.equal(await a.getByRole('button', { name: 'Join the room' }).count(), 0);

  // the invited person: what this is and how the floor works, before anything else; no Delete
  await b.goto(link);
  await b.getByRole('heading', { name: 'Mum invited you to talk' }).waitFor();
  const invite = await b.locator('.invite-page').innerText();
  assert.match(invite, /for a parent and their child/);
  assert.match(invite, /How the floor works/);
  assert.match(invite, /yes, that's it/);
  assert.match(await b.getByTestId('first-speaker').innerText(), /^You speak first; Mum listens\./);
  assert.equal(await b.getByRole('button', { name: 'Delete for good' }).count(), 0, 'not for a visitor');
  await b.getByLabel('Your name in this room').fill('Kit');
  await b.getByRole('button', { name: 'Join the room' }).click();

  // Kit has the floor, as Mum chose; the copy names people
  await b.getByTestId('role-line').filter({ hasText: 'You have the floor' }).waitFor();
  assert.match(await b.getByTestId('role-line').innerText(), /Mum will say back what they hear/);
  await a.getByTestId('role-line').filter({ hasText: 'You are listening' }).waitFor();
  assert.equal(await a.getByTestId('floor-holder').innerText(), 'Kit');
  for (const p of [a, b]) assert.doesNotMatch(await p.locator('body').innerText(), /partner/i);
  await b.getByRole('button', { name: 'Delete for good' }).waitFor(); // a member now

  // soften's gentler start is worded for a parent and child, not for partners
  const want = soften(SPOKEN, { relationship: 'parent_child' }).softened;
  assert.notEqual(want, soften(SPOKEN, { relationship: 'partner' }).softened, 'the test needs a difference');
  await b.getByLabel('Say what is true for you').fill(SPOKEN);
  await b.getByText('A gentler start').waitFor();
  assert.ok((await b.locator('.soften').innerText()).includes(want), 'the parent and child wording');
  assert.deepEqual(errors, []);
});
