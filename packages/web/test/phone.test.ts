// The room and practice on a phone (360 and 390 px wide), in Debian's Chromium: nothing widens the
// page (a long link in a message wraps), the sticky floor bar stays compact, a tapped move chip's why
// never covers Send, and the practice chart's labels are readable. Screenshots only when asked for.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { shots, startApp } from './harness.ts';
import { openRoom } from './rooms.ts';

let base = '';
let browser: Browser;
let stop: () => Promise<void>;

before(async () => {
  ({ base, browser, stop } = await startApp('phone'));
});
after(() => stop?.());

const WIDTHS = [360, 390];
const HEADER_MAX = 120; // px of an 844 px tall phone screen: the floor bar must leave room for the talk
const LONG_URL = `https://example.org/${'a-very-long-path-segment/'.repeat(12)}?q=${'x'.repeat(80)}`;

async function shot(p: Page, name: string): Promise<void> {
  if (process.env.STEADY_SCREENSHOTS)
    await p.screenshot({ path: join(shots, `${name}.png`), fullPage: true });
}

/** The page is no wider than the screen. */
async function fits(p: Page, where: string): Promise<void> {
  const { scroll, inner } = await p.evaluate(() => ({
    scroll: document.documentElement.scrollWidth,
    inner: window.innerWidth,
  }));
  assert.ok(scroll <= inner, `${where}: the page is ${scroll}px wide on a ${inner}px screen`);
}

test('the room at phone widths: a long link wraps, the floor bar is compact, a chip never covers Send', async (t) => {
  const { a, b, errors } = await openRoom(base, browser);
  await a.getByLabel('Say what is true for you').fill(`You never read what I sent: ${LONG_URL}`);
  await a.getByRole('button', { name: 'Send', exact: true }).click();
  await b.getByTestId('turn-speak').waitFor();
  await b.getByLabel('Say back what you heard').fill("I was only trying to help, you're overreacting.");
  await b.locator('[data-move="minimize"]').waitFor();
  for (const width of WIDTHS) {
    await b.setViewportSize({ width, height: 844 });
    await fits(b, `room at ${width}`);
    const bar = (await b.locator('header.floor-bar').boundingBox())!;
    assert.ok(bar.height <= HEADER_MAX, `at ${width}: the floor bar is ${bar.height}px tall`);
    t.diagnostic(`floor bar at ${width}px: ${bar.height.toFixed(0)}px tall`);

    // tap a move chip: its why shows, and Send is still there to press
    const chip = b.locator('button.chip.defensive').first();
    await chip.scrollIntoViewIfNeeded();
    await chip.click();
    const why = b.locator('li:has(button.chip.defensive:focus) .why');
    await why.waitFor();
    const send = b.getByRole('button', { name: 'Send reflection' });
    await send.scrollIntoViewIfNeeded();
    const box = (await send.boundingBox())!;
    const hit = await b.evaluate(
      ({ x, y }) => document.elementFromPoint(x, y)?.closest('button')?.textContent ?? null,
      { x: box.x + box.width / 2, y: box.y + box.height / 2 },
    );
    assert.equal(hit, 'Send reflection', `at ${width}: the why covers Send`);
    const w = (await why.boundingBox())!;
    assert.ok(w.x >= 0 && w.x + w.width <= width, `at ${width}: the why runs off the screen`);
    await fits(b, `room at ${width}, a chip open`);
    await shot(b, `room-phone-${width}`);
    await b.locator('body').click({ position: { x: 5, y: 5 } });
  }
  assert.deepEqual(errors, []);
});

test('practice at phone widths: the chart labels are readable and nothing widens the page', async () => {
  const ctx = await browser.newContext({ viewport: { width: 390, height: 844 } });
  const p = await ctx.newPage();
  await p.goto(`${base}/practice/invisible`);
  for (const reply of [
    "I was only trying to help, you're overreacting.",
    "You're right, I got defensive. I'm listening now. What has it been like?",
  ]) {
    await p.locator('#practice-reply').fill(reply);
    const n = await p.getByTestId('feedback').count();
    await p.getByRole('button', { name: 'Reply' }).click();
    await p.getByTestId('feedback').nth(n).waitFor();
  }
  for (const width of WIDTHS) {
    await p.setViewportSize({ width, height: 844 });
    await p.goto(`${base}/practice`);
    await p.getByRole('heading', { name: 'Practice', exact: true }).waitFor();
    await fits(p, `practice list at ${width}`);
    await p.goto(`${base}/practice/progress`);
    await p.getByTestId('chart').waitFor();
    await fits(p, `progress at ${width}`);
    const sizes = await p
      .getByTestId('chart')
      .locator('text')
      .evaluateAll((ts) =>
        // the label's size on screen: its font size times the SVG's scale
        ts.map(
          (t) =>
            Number.parseFloat(getComputedStyle(t).fontSize) * ((t as SVGTextElement).getScreenCTM()?.a ?? 1),
        ),
      );
    assert.ok(sizes.length > 0);
    for (const s of sizes) assert.ok(s >= 11, `at ${width}: a chart label is ${s.toFixed(1)}px`);
    await shot(p, `practice-progress-phone-${width}`);
  }
  await ctx.close();
});
