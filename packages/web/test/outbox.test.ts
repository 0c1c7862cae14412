// Sending in the room, in Debian's Chromium: one's own message shows at once and says whether it is on
// its way or waiting for a connection; what was sent offline (or before a reload) is delivered once;
// a double press sends once; drafts survive a reload and a time-out.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser } from 'playwright-core';
import { startApp } from './harness.ts';
import { openRoom, sleep, speak } from './rooms.ts';

let base = '';
let browser: Browser;
let stop: () => Promise<void>;

before(async () => {
  ({ base, browser, stop } = await startApp('outbox'));
});
after(() => stop?.());

const SPOKEN = 'I felt alone at the party.';
const REFLECTION = 'It sounds like you felt left on your own there.';

test('a double click on "Send reflection" posts one reflection', async () => {
  const p = await openRoom(base, browser);
  await speak(p, SPOKEN);
  await p.b.getByLabel('Say back what you heard').fill(REFLECTION);
  await p.b.getByRole('button', { name: 'Send reflection' }).dblclick();
  await p.a.getByText(REFLECTION).waitFor();
  // and Ctrl+Enter twice in a row, for the next try
  await p.b.getByLabel('Say back what you heard').fill('You felt on your own.');
  await p.b.getByLabel('Say back what you heard').press('Control+Enter');
  await p.b.getByLabel('Say back what you heard').press('Control+Enter');
  await p.a.getByText('You felt on your own.').waitFor();
  await sleep(800); // room for a second copy to arrive, were there one
  for (const [who, page] of [
    ['Sam', p.a],
    ['Alex', p.b],
  ] as const) {
    assert.equal(await page.getByTestId('turn-reflect').count(), 2, `${who} sees each reflection once`);
  }
  await p.b.reload();
  await p.b.getByText(REFLECTION).waitFor();
  assert.equal(await p.b.getByTestId('turn-reflect').count(), 2, 'the server stored each once');
  assert.deepEqual(p.errors, []);
});

test('a reflection sent offline shows at once as waiting, with a banner, and is delivered once', async () => {
  const p = await openRoom(base, browser);
  await speak(p, SPOKEN);
  await p.b.context().setOffline(true);
  await p.b.getByTestId('offline').filter({ hasText: 'You are offline' }).waitFor();
  await p.b.getByLabel('Say back what you heard').fill(REFLECTION);
  await p.b.getByRole('button', { name: 'Send reflection' }).click();
  const mine = p.b.getByTestId('turn-reflect').filter({ hasText: REFLECTION });
  await mine.waitFor();
  assert.match(await mine.innerText(), /waiting for connection/);
  assert.equal(await p.b.getByLabel('Say back what you heard').inputValue(), '', 'the box is cleared');
  await sleep(1000);
  assert.equal(await p.a.getByText(REFLECTION).count(), 0, 'nothing reached Sam while Alex is offline');

  await p.b.context().setOffline(false);
  await p.a.getByText(REFLECTION).waitFor();
  await p.b.getByTestId('on-its-way').waitFor({ state: 'detached' });
  await p.b.getByTestId('offline').waitFor({ state: 'detached' });
  await sleep(800);
  assert.equal(await p.a.getByTestId('turn-reflect').count(), 1, 'delivered once');
  assert.equal(await p.b.getByTestId('turn-reflect').count(), 1);
  assert.deepEqual(p.errors, []);
});

test('the outbox survives a reload: sent while the server cannot be reached, delivered once after', async () => {
  const p = await openRoom(base, browser);
  await speak(p, SPOKEN);
  // From now on a new socket to the server fails (the pages still load): the room cannot be reached.
  let cut = true;
  await p.b.context().routeWebSocket(/\/ws$/, (ws) => {
    if (cut) ws.close();
    else ws.connectToServer();
  });
  await p.b.context().setOffline(true); // drops the socket that is open
  await p.b.getByLabel('Say back what you heard').fill(REFLECTION);
  await p.b.getByRole('button', { name: 'Send reflection' }).click();
  await p.b.getByTestId('turn-reflect').filter({ hasText: 'waiting for connection' }).waitFor();
  await p.b.context().setOffline(false);
  await p.b.getByTestId('offline').filter({ hasText: 'Reconnecting' }).waitFor();
  await p.b.reload();
  const mine = p.b.getByTestId('turn-reflect').filter({ hasText: REFLECTION });
  await mine.waitFor();
  assert.match(await mine.innerText(), /waiting for connection|sending…/, 'still on its way after a reload');
  cut = false;
  await p.b.getByRole('button', { name: 'Try now' }).click();
  await p.a.getByText(REFLECTION).waitFor();
  await p.b.getByTestId('on-its-way').waitFor({ state: 'detached' });
  await sleep(800);
  assert.equal(await p.a.getByTestId('turn-reflect').count(), 1, 'delivered once');
  assert.deepEqual(p.errors, []);
});

test('a draft survives a reload and a time-out called by the other person', async () => {
  const p = await openRoom(base, browser);
  await speak(p, SPOKEN);
  const box = p.b.getByLabel('Say back what you heard');
  await box.fill('It sounds like you');
  await p.b.reload();
  assert.equal(await box.inputValue(), 'It sounds like you', 'kept across a reload');
  await p.a.getByRole('button', { name: 'Time-out' }).first().click();
  await p.b.getByRole('region', { name: 'Time-out' }).waitFor();
  assert.equal(await box.count(), 0);
  await p.a.getByRole('button', { name: "I'm ready: end the time-out" }).click();
  await box.waitFor();
  assert.equal(await box.inputValue(), 'It sounds like you', 'kept across the time-out');
  // sent, it is gone from the device
  await box.fill(REFLECTION);
  await p.b.getByRole('button', { name: 'Send reflection' }).click();
  await p.a.getByText(REFLECTION).waitFor();
  await p.b.reload();
  await p.b.getByText(REFLECTION).waitFor();
  assert.equal(await box.inputValue(), '');
  assert.deepEqual(p.errors, []);
});
