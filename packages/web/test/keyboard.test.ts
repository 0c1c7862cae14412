// The room by keyboard, in Debian's Chromium: focus goes where each person acts next after joining and
// after every send; "Before you send" is a real modal (Tab stays inside, Escape revises); the Ctrl+Enter
// shortcut is shown and named to screen readers.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser, Page } from 'playwright-core';
import { startApp } from './harness.ts';
import { openRoom, PHONE } from './rooms.ts';

let base = '';
let browser: Browser;
let stop: () => Promise<void>;

before(async () => {
  ({ base, browser, stop } = await startApp('keyboard'));
});
after(() => stop?.());

/** What has focus: its id, test id, or the labelled region it is, and whether it is in the composer or a dialog. */
const focused = (p: Page) =>
  p.evaluate(() => {
    const el = document.activeElement as HTMLElement | null;
    return {
      id: el?.id ?? '',
      testid: el?.getAttribute('data-testid') ?? '',
      tag: el?.tagName.toLowerCase() ?? '',
      text: el?.textContent?.trim() ?? '',
      composer: Boolean(el?.closest('.composer')),
      dialog: Boolean(el?.closest('dialog[open]')),
    };
  });

test('focus follows the floor: after joining and after every send', async () => {
  const a = await (await browser.newContext({ viewport: { width: 900, height: 900 } })).newPage();
  const b = await (await browser.newContext({ viewport: PHONE })).newPage();
  await a.goto(`${base}/`);
  await a.getByLabel('Your name').fill('Sam');
  await a.getByLabel('Your name').press('Enter');
  await a.waitForURL(/\/room\//);
  await a.getByTestId('room-link').waitFor();
  await a.waitForFunction(() => document.activeElement?.getAttribute('data-testid') === 'room-link');

  await b.goto(a.url());
  await b.getByLabel('Your name in this room').fill('Alex');
  await b.getByLabel('Your name in this room').press('Enter');
  await b.getByTestId('role-line').waitFor();
  await b.waitForFunction(() => Boolean(document.activeElement?.closest('.composer')));

  // Sam speaks: now waiting, focus on the composer's note (a screen reader hears what comes next)
  await a.getByLabel('Say what is true for you').fill('I felt alone at the party.');
  await a.getByRole('button', { name: 'Send', exact: true }).click();
  await a.getByTestId('turn-speak').waitFor();
  await a.waitForFunction(() => document.activeElement?.classList.contains('composer'));

  // Alex reflects with the keyboard only: focus comes back to the box
  const reflect = b.getByLabel('Say back what you heard');
  await reflect.waitFor();
  await reflect.fill('It sounds like you felt on your own there.');
  await b.getByRole('button', { name: 'Send reflection' }).click();
  await a.getByTestId('turn-reflect').waitFor();
  await b.waitForFunction(() => document.activeElement?.id === 'reflect');

  // Sam says yes: the box to say more (or pass the floor) has focus
  await a.getByRole('button', { name: "Yes, that's it" }).click();
  await a.waitForFunction(() => document.activeElement?.id === 'speak');
  assert.equal(await a.getByLabel('Say more, or pass the floor').count(), 1);
});

test('"Before you send" is a modal: focus starts on Revise, Tab stays inside, Escape revises', async () => {
  const { a, b, errors } = await openRoom(base, browser);
  await a.getByLabel('Say what is true for you').fill("You're never really here. I feel invisible.");
  await a.getByRole('button', { name: 'Send', exact: true }).click();

  const reflect = b.getByLabel('Say back what you heard');
  await reflect.waitFor();
  // the shortcut is shown, and named to assistive technology
  assert.equal(await reflect.getAttribute('aria-keyshortcuts'), 'Control+Enter');
  const hint = b.locator(`#${await reflect.getAttribute('aria-describedby')}`);
  assert.equal(await hint.innerText(), 'Ctrl+Enter sends');
  assert.ok(await hint.isVisible());

  const DEFENSIVE = "I was only trying to help, you're overreacting.";
  await reflect.fill(DEFENSIVE);
  await b.locator('[data-move="minimize"]').waitFor();
  await reflect.press('Control+Enter');
  const dialog = b.getByRole('dialog', { name: 'Before you send' });
  await dialog.waitFor();
  assert.equal(await dialog.evaluate((d) => d.matches(':modal')), true, 'a modal dialog (showModal)');
  assert.deepEqual((await focused(b)).text, 'Revise');
  const seen = new Set<string>();
  for (let i = 0; i < 12; i++) {
    await b.keyboard.press('Tab');
    const f = await focused(b);
    // the browser's own UI may take a turn (focus on body); nothing on the page behind
    if (f.tag !== 'body') {
      assert.ok(f.dialog, `Tab reached "${f.text}" behind the dialog`);
      seen.add(f.text);
    }
  }
  assert.ok(seen.has('Send anyway') && seen.has('Revise'), `Tab went round the dialog: ${[...seen]}`);
  for (const name of ['Export Markdown', 'Delete for good'])
    assert.ok(!seen.has(name), `${name} was reachable`);
  await b.keyboard.press('Escape');
  await dialog.waitFor({ state: 'detached' });
  assert.equal((await focused(b)).id, 'reflect', 'back in the box to revise');
  assert.equal(await reflect.inputValue(), DEFENSIVE, 'nothing lost, nothing sent');
  assert.equal(await a.getByTestId('turn-reflect').count(), 0);
  assert.deepEqual(errors, []);
});
