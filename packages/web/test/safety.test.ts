// Safety first, in Debian's Chromium: a flagged message pauses the floor and the coaching on both
// screens, its panel shows in full below the sticky floor bar at phone width, focused, with tappable
// tel: links; the way back is per person; the writer's own risky draft is never softened; and the lens
// links the numbers of its resources.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser, Page } from 'playwright-core';
import { hear, resourceLinks, soften } from '@steady/engine';
import { startApp } from './harness.ts';
import { openRoom, PHONE } from './rooms.ts';

let base = '';
let browser: Browser;
let stop: () => Promise<void>;

before(async () => {
  ({ base, browser, stop } = await startApp('safety'));
});
after(() => stop?.());

const SELF_HARM = 'I want to kill myself';
const VIOLENCE = 'He hit me again last night.';
const CONTROL = 'Give me your password, now.';

/** The reader's safety for a text, from the engine itself (the test never hard-codes its wording). */
function flagOf(text: string) {
  const s = hear(text).safety;
  assert.ok(s, `the engine no longer flags "${text}"`);
  return s;
}
/** The tel:/sms: links the panel must show for a flag's resources: exactly what resourceLinks finds. */
const hrefsOf = (resources: string[]) => resources.flatMap((r) => resourceLinks(r).map((l) => l.href));

/** Poll until check passes (layout settles after the panel scrolls into view), else fail with its message. */
async function until(check: () => Promise<string | null>, ms = 3000): Promise<void> {
  const end = Date.now() + ms;
  let why: string | null = 'never checked';
  while (Date.now() < end) {
    why = await check();
    if (why === null) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  assert.fail(why ?? '');
}

/** The safety panel is on screen in full: its top below the sticky floor bar, its bottom inside the viewport, and it has focus. */
async function panelInFull(p: Page, who: string): Promise<void> {
  const panel = p.getByTestId('room-safety');
  await panel.waitFor();
  const height = p.viewportSize()!.height;
  await until(async () => {
    const bar = await p.locator('header.floor-bar').boundingBox();
    const box = await panel.boundingBox();
    if (!bar || !box) return `${who}: no bounding box`;
    if (box.y < bar.y + bar.height - 0.5)
      return `${who}: the panel's top (${box.y}) is under the sticky header (its bottom ${bar.y + bar.height})`;
    if (box.y + box.height > height + 0.5)
      return `${who}: the panel runs past the bottom of the screen (${box.y + box.height} > ${height})`;
    if ((await p.evaluate(() => document.activeElement?.getAttribute('data-testid'))) !== 'room-safety')
      return `${who}: focus did not move to the panel`;
    return null;
  });
  assert.equal(
    await p.getByRole('region', { name: 'Safety first', exact: true }).count(),
    1,
    `${who}: a labelled region`,
  );
}

/** No coaching of any kind on this screen. */
async function noCoaching(p: Page, who: string): Promise<void> {
  for (const [what, n] of [
    ['"Say back what you heard"', await p.getByLabel('Say back what you heard').count()],
    ['"Hear beneath"', await p.getByRole('button', { name: 'Hear beneath' }).count()],
    ['"Send reflection"', await p.getByRole('button', { name: 'Send reflection' }).count()],
    ['a steadiness score', await p.getByTestId('steadiness').count()],
    ['an interstitial', await p.getByRole('dialog').count()],
    ['a gentler start', await p.getByText('A gentler start').count()],
    ['"Yes, that\'s it"', await p.getByRole('button', { name: "Yes, that's it" }).count()],
    ['"Pass the floor"', await p.getByRole('button', { name: 'Pass the floor' }).count()],
    ['waiting for a reflection', await p.getByText('say back what they heard').count()],
  ] as const)
    assert.equal(n, 0, `${who}: ${what} is still shown`);
  await p.getByTestId('floor-paused').waitFor();
  assert.match((await p.getByTestId('role-line').textContent()) ?? '', /Coaching is paused/);
}

async function telLinks(p: Page, scope: string): Promise<string[]> {
  return p
    .locator(`${scope} a[href^="tel:"], ${scope} a[href^="sms:"]`)
    .evaluateAll((as) => as.map((a) => a.getAttribute('href')!));
}

test('a flagged message pauses the floor and the coaching on both screens; the panel shows in full at phone width', async () => {
  const { a, b, errors } = await openRoom(base, browser);
  const reader = flagOf(SELF_HARM);
  const writerFlag = soften(SELF_HARM).safety; // soften's message to the writer, when the engine gives one

  // Sam's own draft carries risk: safety for Sam, never a gentler rewrite of it.
  await a.getByLabel('Say what is true for you').fill(SELF_HARM);
  await a.getByTestId('draft-safety').waitFor();
  assert.equal(await a.getByText('A gentler start').count(), 0, 'no softened version of a risky draft');
  assert.deepEqual(await telLinks(a, '[data-testid="draft-safety"]'), hrefsOf(reader.resources));
  await a.getByRole('button', { name: 'Send', exact: true }).click();

  // Alex, on the phone: the reader's safety message, in full below the sticky bar, focused.
  await b.getByText(SELF_HARM).waitFor();
  await panelInFull(b, 'the reader (phone)');
  await noCoaching(b, 'the reader');
  const bPanel = b.getByTestId('room-safety');
  assert.ok(
    (await bPanel.textContent())!.includes(reader.message),
    'the reader sees what the flag means for them',
  );
  const tel = await telLinks(b, '[data-testid="room-safety"]');
  assert.ok(
    tel.some((h) => h.startsWith('tel:')),
    'a tel: link to tap',
  );
  assert.deepEqual(tel, hrefsOf(reader.resources), 'every number the resources name, and no other');
  const box = b.getByLabel('Safety first: ask if they are safe, or say what you need');
  await box.waitFor();
  assert.equal(await box.getAttribute('placeholder'), 'Are you safe right now?');

  // Sam, the writer: help for themself, not the reader's coaching about them.
  await panelInFull(a, 'the writer');
  await noCoaching(a, 'the writer');
  const aText = (await a.getByTestId('room-safety').textContent())!;
  assert.ok(!aText.includes(reader.message), 'the writer is not told to "stay with them"');
  if (writerFlag) assert.ok(aText.includes(writerFlag.message), "the writer sees soften's message to them");
  assert.ok((await telLinks(a, '[data-testid="room-safety"]')).some((h) => h.startsWith('tel:')));

  // They can still talk plainly: Alex asks with one of the engine's safety-first replies; Sam can answer.
  await b
    .getByRole('button', { name: /Are you safe right now\?/ })
    .first()
    .click();
  await b.getByRole('button', { name: 'Send', exact: true }).click();
  await a.getByText('Are you safe right now?').first().waitFor();
  const own = a.getByLabel('Safety first: say what you need right now');
  await own.waitFor();
  assert.equal(await own.getAttribute('placeholder'), 'I need…');
  await noCoaching(a, 'the writer, answering');
  await noCoaching(b, 'the reader, after asking');
  assert.deepEqual(errors, []);
});

test('the way back: "I\'m safe, continue" resumes coaching for a concern, per person, across a reload; a new flag pauses again', async () => {
  const flag = flagOf(VIOLENCE);
  assert.notEqual(
    flag.level,
    'urgent',
    'this test needs a concern: an urgent flag has no way back in the room',
  );
  const { a, b, errors } = await openRoom(base, browser);
  await a.getByLabel('Say what is true for you').fill(VIOLENCE);
  await a.getByTestId('draft-safety').waitFor();
  await a.getByRole('button', { name: 'Send', exact: true }).click();
  await panelInFull(b, 'the reader (phone)');
  await noCoaching(b, 'the reader');

  // Alex says they are safe: coaching comes back on Alex's screen only; the panel stays.
  // by keyboard: from the focused panel, Tab goes through its numbers to the button
  for (
    let i = 0;
    i < 10 && (await b.evaluate(() => document.activeElement?.textContent)) !== "I'm safe, continue";
    i++
  )
    await b.keyboard.press('Tab');
  assert.equal(await b.evaluate(() => document.activeElement?.textContent), "I'm safe, continue");
  await b.keyboard.press('Enter');
  await b.getByLabel('Say back what you heard').waitFor();
  await b.getByTestId('room-safety').getByRole('status').waitFor();
  assert.equal(
    await b.evaluate(() => document.activeElement?.getAttribute('data-testid')),
    'room-safety',
    'focus is not lost to the page',
  );
  assert.ok((await telLinks(b, '[data-testid="room-safety"]')).length > 0, 'the help stays');
  await a.getByTestId('floor-paused').waitFor(); // Sam has not said so: still paused for Sam
  assert.equal(await a.getByRole('button', { name: "I'm safe, continue" }).count(), 1);

  await b.reload();
  await b.getByText(VIOLENCE).waitFor();
  await b.getByLabel('Say back what you heard').waitFor();
  await b.getByTestId('room-safety').waitFor();
  assert.equal(await b.getByTestId('floor-paused').count(), 0);

  // A risky reply of Alex's own: no coaching of it, no interstitial; once sent, both screens pause again.
  await b.getByLabel('Say back what you heard').fill(CONTROL);
  await b.getByTestId('draft-safety').waitFor();
  assert.equal(await b.getByTestId('steadiness').count(), 0);
  await b.getByRole('button', { name: 'Send reflection' }).click();
  assert.equal(await b.getByRole('dialog').count(), 0);
  await a.getByText(CONTROL).waitFor();
  await b.getByTestId('floor-paused').waitFor();
  await panelInFull(b, 'the writer of the new flag (phone)');
  await noCoaching(b, 'the writer of the new flag');
  assert.ok(
    !(await b.getByTestId('room-safety').textContent())!.includes(flagOf(CONTROL).message),
    "the writer gets the writer's message",
  );
  await a.getByRole('button', { name: "I'm safe, continue" }).waitFor();
  assert.deepEqual(errors, []);
});

test('the lens links the numbers in its resources, and never coaches a flagged message or draft', async () => {
  const p = await (await browser.newContext({ viewport: PHONE })).newPage();
  await p.goto(`${base}/lens`);
  await p.getByLabel('A message you received').fill(SELF_HARM);
  const alert = p.getByRole('alert').filter({ hasText: 'Safety first' });
  await alert.waitFor();
  const links = await alert.locator('a[href^="tel:"], a[href^="sms:"]').evaluateAll((as) =>
    as.map((a) => ({
      href: a.getAttribute('href'),
      text: a.textContent,
      name: a.getAttribute('aria-label'),
    })),
  );
  const want = flagOf(SELF_HARM).resources.flatMap((r) => resourceLinks(r));
  assert.ok(want.length > 0, 'the default resources name an emergency number');
  assert.deepEqual(
    links.map((l) => l.href),
    want.map((l) => l.href),
  );
  assert.deepEqual(
    links.map((l) => l.text),
    want.map((l) => l.text),
    'the number as written is the link text',
  );
  assert.ok(
    links.every((l) => /^(Call|Text) /.test(l.name ?? '')),
    'each link says what tapping does',
  );
  assert.equal(await p.getByText('The misreading to avoid').count(), 0);

  // A reply draft under a flagged message gets no steadiness coaching and no steadier rewrite.
  await p.getByLabel('Your draft reply').fill("That's not true, I'm always here.");
  await p.getByText('No coaching on this reply').waitFor();
  assert.equal(await p.getByTestId('steadiness').count(), 0);
  assert.equal(await p.getByText('Try:').count(), 0);

  // The draft itself carries risk: safety for its writer, with the same links, instead of coaching.
  await p.getByLabel('A message you received').fill('');
  await p.getByLabel('Your draft reply').fill(CONTROL);
  const own = p.getByTestId('draft-safety');
  await own.waitFor();
  assert.deepEqual(
    await own
      .locator('a[href^="tel:"], a[href^="sms:"]')
      .evaluateAll((as) => as.map((a) => a.getAttribute('href'))),
    hrefsOf(flagOf(CONTROL).resources),
  );
  assert.equal(await p.getByTestId('steadiness').count(), 0);
  assert.equal(await p.getByText('Try:').count(), 0);
});
