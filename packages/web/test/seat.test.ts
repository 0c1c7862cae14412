// Seats, in Debian's Chromium: the same person on a second device takes their seat back through their
// seat link (a new browser context: nothing shared but the link), and the seat leaves the address bar.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser } from 'playwright-core';
import { hear } from '@steady/engine';
import { startApp } from './harness.ts';
import { openRoom, PHONE } from './rooms.ts';

let base = '';
let browser: Browser;
let stop: () => Promise<void>;

before(async () => {
  ({ base, browser, stop } = await startApp('seat'));
});
after(() => stop?.());

test('Sam carries on from a second device through the seat link; the room link alone gives no seat', async () => {
  const { a, b, link, errors } = await openRoom(base, browser);
  await a.getByText('Continue on another device').click();
  const seatLink = await a.getByTestId('seat-link').inputValue();
  assert.ok(seatLink.startsWith(link.split('#')[0]!) && seatLink.includes('seat='), seatLink);
  assert.ok(
    await a.getByTestId('seat-qr').evaluate((img: HTMLImageElement) => img.naturalWidth > 0),
    'a QR code',
  );

  // a fresh browser (another device): the seat link seats Sam, the floor is Sam's to speak
  const phone = await (await browser.newContext({ viewport: PHONE })).newPage();
  phone.on('pageerror', (e) => errors.push(e.message));
  await phone.goto(seatLink);
  await phone.getByTestId('role-line').filter({ hasText: 'You have the floor' }).waitFor();
  assert.match(await phone.getByTestId('role-line').innerText(), /Alex will say back/);
  assert.ok(!phone.url().includes('seat='), 'the seat is taken off the address bar');
  assert.ok(phone.url().includes('k='), 'the key stays');
  assert.equal(await phone.getByLabel('Your name in this room').count(), 0, 'no join form');
  // (a message hear does not flag, or safety would pause the floor: "Writing from my phone now." is
  // flagged as control by the engine at the time of writing)
  assert.equal(hear('Still me, on the laptop now.').safety, null);
  await phone.getByLabel('Say what is true for you').fill('Still me, on the laptop now.');
  await phone.getByRole('button', { name: 'Send', exact: true }).click();
  await b.getByText('Still me, on the laptop now.').waitFor();
  assert.match(await b.getByTestId('turn-speak').innerText(), /^Sam /, 'it is Sam speaking');
  await a.getByText('Still me, on the laptop now.').waitFor(); // the first device is still Sam too
  await phone.reload();
  await phone
    .getByText('Waiting for them to say back what they heard')
    .waitFor()
    .catch(async (e: Error) => {
      throw new Error(
        `${e.message}\nafter the reload the phone shows:\n${await phone.locator('body').innerText()}`,
      );
    }); // still seated

  // the plain room link, opened elsewhere: a third person, with no seat and no Delete
  const other = await (await browser.newContext()).newPage();
  await other.goto(link);
  await other
    .getByText('This room already has two people')
    .waitFor()
    .catch(async (e: Error) => {
      throw new Error(`${e.message}\nthe visitor sees:\n${await other.locator('body').innerText()}`);
    });
  // refused by the server, not only by the floor: both seats are taken, so nothing of the room is sent to
  // a third person, and they are told how to open their own seat elsewhere
  await other
    .getByRole('alert')
    .filter({ hasText: 'open the room with the seat link from your other device' })
    .waitFor();
  assert.equal(await other.getByTestId('turn-speak').count(), 0, 'the conversation is not shown');
  assert.equal(await other.getByRole('button', { name: 'Delete for good' }).count(), 0);
  assert.deepEqual(errors, []);
});
