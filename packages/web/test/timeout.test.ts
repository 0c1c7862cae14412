// The time-out, in Debian's Chromium: a minutes box that can be corrected, only the caller ends the
// pause early, and at 00:00 both are asked, gently, to come back or take longer. The pages' clocks are
// Playwright's and the server's is the harness's, moved forward together, so no test waits out a real
// minute. The floor times a pause by the server's clock: a page whose clock runs ahead is refused.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser } from 'playwright-core';
import { DEFAULT_TIMEOUT_MINUTES, TIMEOUT_RANGE } from '@steady/protocol';
import { startApp } from './harness.ts';
import { openRoom } from './rooms.ts';

let base = '';
let browser: Browser;
let stop: () => Promise<void>;
let skip: (ms: number) => void;

before(async () => {
  ({ base, browser, stop, skip } = await startApp('timeout'));
});
after(() => stop?.());

test('the minutes box can be corrected: emptied while typing, clamped when left', async () => {
  const { a, errors } = await openRoom(base, browser);
  const box = a.getByLabel('Time-out minutes');
  assert.equal(await box.inputValue(), String(DEFAULT_TIMEOUT_MINUTES));
  await box.click();
  await box.press('End');
  await box.press('Backspace');
  assert.equal(await box.inputValue(), '2');
  await box.press('Backspace');
  assert.equal(await box.inputValue(), '', 'empty while someone corrects it, not the default again');
  await box.pressSequentially('5');
  assert.equal(await box.inputValue(), '5', 'not 205');
  await box.blur();
  assert.equal(await box.inputValue(), '5');
  await box.fill('');
  await box.blur();
  assert.equal(await box.inputValue(), String(DEFAULT_TIMEOUT_MINUTES), 'left empty: the default');
  await box.fill('999');
  await box.blur();
  assert.equal(await box.inputValue(), String(TIMEOUT_RANGE.max), 'clamped to the most one may ask');
  await box.fill('abc0');
  assert.equal(await box.inputValue(), '0', 'only digits');
  await box.blur();
  assert.equal(await box.inputValue(), String(DEFAULT_TIMEOUT_MINUTES));
  await box.fill('1');
  assert.match(
    await a.locator('label', { has: box }).innerText(),
    /length\s+minute(?!s)/,
    '1 minute, not 1 minutes',
  );
  assert.deepEqual(errors, []);
});

test('only the caller ends a time-out early; at 00:00 both are asked to come back or take longer', async () => {
  const { a, b, errors } = await openRoom(base, browser);
  await a.clock.install();
  await b.clock.install();
  await a.getByLabel('Time-out minutes').fill('1');
  await a.getByRole('button', { name: 'Time-out' }).first().click();
  for (const p of [a, b]) {
    await p.getByRole('region', { name: 'Time-out' }).waitFor();
    await p.getByTestId('turn-timeout').filter({ hasText: 'calls a time-out for 1 minute.' }).waitFor();
  }
  assert.match(await a.getByTestId('timeout-who').innerText(), /^You called a time-out for 1 minute\./);
  assert.match(await b.getByTestId('timeout-who').innerText(), /^Sam called a time-out for 1 minute\./);
  // Alex, who did not ask for the pause, cannot cut it short
  assert.equal(await b.getByRole('region', { name: 'Time-out' }).getByRole('button').count(), 0);
  await b.getByText('only they can end it early').waitFor();
  await a.getByRole('button', { name: "I'm ready: end the time-out" }).waitFor();

  // 00:00: the same gentle prompt on both screens
  skip(61_000);
  await a.clock.fastForward('01:01');
  await b.clock.fastForward('01:01');
  for (const p of [a, b]) {
    await p.getByTestId('time-up').waitFor();
    assert.equal(await p.getByRole('timer').innerText(), '00:00');
  }
  assert.equal(
    await b.evaluate(() => document.activeElement?.getAttribute('data-testid')),
    'time-up',
    'the prompt takes focus, so a screen reader hears it',
  );
  // Alex takes ten more minutes: a fresh pause, Alex's own, that Sam now waits out
  await b.getByRole('button', { name: '10 minutes more' }).click();
  for (const p of [a, b]) await p.getByTestId('turn-extend').waitFor();
  assert.match(await a.getByTestId('turn-extend').innerText(), /Alex asks for 10 minutes more\./);
  await a.getByText('only they can end it early').waitFor();
  assert.match(await b.getByTestId('timeout-who').innerText(), /^You called a time-out for 10 minutes\./);
  await b.getByRole('button', { name: "I'm ready: end the time-out" }).click();
  await a.getByTestId('turn-resume').waitFor();
  assert.match(await a.getByTestId('turn-resume').innerText(), /^Alex is back: the conversation resumes\./);
  await a.getByLabel('Say what is true for you').waitFor();

  // Another pause, this time Sam's, waited out: Alex picks the conversation up; Sam is not "back"
  await a.getByLabel('Time-out minutes').fill('2');
  await a.getByRole('button', { name: 'Time-out' }).first().click();
  await b.getByText('only they can end it early').waitFor();
  // Alex's clock alone runs two minutes ahead: the button shows there, but the server's clock says the
  // pause has not ended, so the return is refused on both screens and Alex is told why
  await b.clock.fastForward('02:01');
  await b.getByRole('button', { name: 'Come back to the conversation' }).click();
  await b.getByTestId('timeout-early').waitFor();
  assert.match(
    await b.getByTestId('timeout-early').innerText(),
    /^Your return reached the server at .*, before Sam's time-out ends at .* \(the server's clock\), so it was not taken: the pause goes on\. Only Sam can end it early\./,
  );
  await a
    .getByTestId('timeout-early')
    .filter({ hasText: 'Alex tried to end your time-out before its time' })
    .waitFor();
  assert.equal(await a.getByTestId('turn-resume').count(), 1, 'no second resume on Sam’s screen');
  skip(121_000);
  await a.clock.fastForward('02:01');
  await b.getByRole('button', { name: 'Come back to the conversation' }).click();
  await a.getByTestId('turn-resume').nth(1).waitFor();
  assert.match(
    await a.getByTestId('turn-resume').nth(1).innerText(),
    /^Alex picks the conversation up again: the time-out is over\./,
  );
  await b.getByLabel('Say what is true for you').or(b.getByText('They have the floor')).first().waitFor();
  assert.deepEqual(errors, []);
});
