// The lens reads before the learned models arrive, in Debian's Chromium against the built app: the
// engine worker's own script is the rules, the models are fetched after it. Here the model files are held
// back (route interception) to see the first, preliminary reading and its safety area still checking,
// then released to see the full reading replace it; and made to fail, to see the notice and its retry.
// The service worker is blocked in these contexts so every model request passes the interception.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser, BrowserContext, Page, Route } from 'playwright-core';
import { startApp } from './harness.ts';
import { openRoom } from './rooms.ts';

let base = '';
let browser: Browser;
let stop: () => Promise<void>;

before(async () => {
  ({ base, browser, stop } = await startApp('lazy-models'));
});
after(() => stop?.());

const MODELS = /\/assets\/(goemotions|safety|moves|reply|feelings|needs)-[^/]+\.json$/;
// coercive control in words no rule names: only the learned safety model hears it
const MODEL_ONLY = 'Give me the phone. Unlock it. No, here, in front of me. I want to watch you scroll.';

/** A context whose model requests wait until `release()`; `held` counts those waiting now. */
async function holding(): Promise<{ ctx: BrowserContext; page: Page; release(): void; held(): number }> {
  const ctx = await browser.newContext({ serviceWorkers: 'block' });
  const waiting: Route[] = [];
  let open = false;
  await ctx.route(MODELS, (route) => (open ? route.continue() : void waiting.push(route)));
  const page = await ctx.newPage();
  return {
    ctx,
    page,
    held: () => waiting.length,
    release() {
      open = true;
      for (const r of waiting.splice(0)) void r.continue();
    },
  };
}

const status = (page: Page) => page.getByTestId('reading-status');

test('the first reading is the rules’, marked preliminary, safety still checking; the full one replaces it', async () => {
  const { ctx, page, release, held } = await holding();
  await page.goto(`${base}/lens`);
  await page.getByLabel('A message you received').fill(MODEL_ONLY);

  // the rules find nothing here: the first reading is shown, but never as safe
  const early = page.locator('.hear[data-reading="preliminary"]');
  await early.waitFor();
  await page.getByTestId('safety-pending').getByText('still checking this message').waitFor();
  assert.match(await early.innerText(), /reading more closely/);
  assert.match(await early.innerText(), /The misreading to avoid/);
  // no replies to start from (soothing words) until the safety check is done
  assert.match(await early.innerText(), /Replies to start from come once the safety check is done/);
  assert.equal(await early.locator('ul.replies').count(), 0);
  assert.equal(await page.getByRole('alert').count(), 0);
  assert.equal(await status(page).getAttribute('role'), 'status');
  assert.match(await status(page).innerText(), /first reading is shown\. Still checking for safety/);
  assert.equal(held(), 6, 'all six model files are asked for, and held');

  release();
  // with the models the message is heard as coercive control: safety replaces the reading entirely
  const safety = page.getByRole('alert').filter({ hasText: 'Safety first' });
  await safety.waitFor();
  assert.equal(await safety.getAttribute('data-safety'), 'control');
  assert.equal(await page.locator('.hear').count(), 0);
  assert.equal(await page.getByTestId('safety-pending').count(), 0);
  await page.getByText('The full reading is ready.').waitFor({ state: 'attached' });

  // and with the models here, a new message is read in full at once: no preliminary step
  await page.getByLabel('A message you received').fill("You're never really here. I feel invisible.");
  await page.locator('.hear[data-reading="full"]').waitFor();
  assert.ok((await page.locator('.hear ul.replies li').count()) > 0, 'replies to start from are offered');
  await ctx.close();
});

test('a message the rules flag is shown as safety first at once, while the models are still held back', async () => {
  const { ctx, page, release, held } = await holding();
  await page.goto(`${base}/lens`);
  await page.getByLabel('A message you received').fill("I'm going to kill myself tonight.");
  const safety = page.getByRole('alert').filter({ hasText: 'Safety first' });
  await safety.waitFor();
  assert.equal(await safety.getAttribute('data-safety'), 'self_harm');
  assert.equal(held(), 6, 'shown before any model arrived');
  assert.equal(await page.locator('.hear').count(), 0);
  assert.match(await status(page).innerText(), /Safety first: the rules flagged this message/);

  // a reply under a flagged message gets no coaching, even on the rules' reading
  await page.getByLabel('Your draft reply').fill("You're overreacting, calm down.");
  await page.getByText('No coaching on this reply: safety comes first.').waitFor();
  release();
  await page.getByText('The full reading is ready.').waitFor({ state: 'attached' });
  assert.equal(await safety.getAttribute('data-safety'), 'self_harm');
  await ctx.close();
});

test('the reply lens marks its first reading too, and replaces it', async () => {
  const { ctx, page, release } = await holding();
  await page.goto(`${base}/lens`);
  await page.getByLabel('Your draft reply').fill("I was only trying to help, you're overreacting.");
  await page.locator('.moves[data-reading="preliminary"]').getByText('reading more closely').waitFor();
  release();
  await page.locator('.moves[data-reading="full"]').waitFor();
  assert.equal(await page.getByText('A first reading of your reply').count(), 0);
  await ctx.close();
});

test('models that fail to load are said, the rules’ reading stays, and Try again loads them', async () => {
  const ctx = await browser.newContext({ serviceWorkers: 'block' });
  let fail = true;
  let asked = 0;
  await ctx.route(MODELS, (route) => {
    asked++;
    return fail ? route.fulfill({ status: 503, body: 'down' }) : route.continue();
  });
  const page = await ctx.newPage();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(`${base}/lens`);
  await page.getByLabel('A message you received').fill("You're never really here. I feel invisible.");

  const notice = page.getByTestId('models-failed');
  await notice.waitFor();
  assert.equal(await notice.getAttribute('role'), 'alert');
  assert.match(await notice.innerText(), /closer reading could not load \(the \w+ model answered 503\)/);
  // the rules' reading stays, and still does not call the message safe
  const early = page.locator('.hear[data-reading="preliminary"]');
  await early.waitFor();
  assert.match(
    await page.getByTestId('safety-pending').innerText(),
    /checked by the rules alone; the closer check could not load/,
  );
  assert.match(await status(page).innerText(), /could not load: this is the rules' reading alone/);
  const before = asked;

  fail = false;
  await notice.getByRole('button', { name: 'Try again' }).click();
  // the worker reads the same message again with the models: the full reading replaces the rules'
  await page.locator('.hear[data-reading="full"]').waitFor();
  assert.equal(await notice.count(), 0);
  assert.ok(asked > before, 'the retry asked for the models again');
  assert.equal(await page.getByTestId('safety-pending').count(), 0);
  assert.deepEqual(errors, []);
  await ctx.close();
});

test('in a room, messages read while the models failed are read again when they load: no model-only flag is lost', async () => {
  // Alex's browser cannot load the models at first; Sam's can
  let fail = true;
  const { a, b } = await openRoom(base, browser, {
    serviceWorkers: 'block',
    prepare: (ctx) =>
      ctx.route(MODELS, (route) => (fail ? route.fulfill({ status: 503, body: 'down' }) : route.continue())),
  });

  await a.getByLabel('Say what is true for you').fill(MODEL_ONLY);
  await a.getByRole('button', { name: 'Send', exact: true }).click();
  await b.getByText(MODEL_ONLY).waitFor();
  await a.getByTestId('room-safety').waitFor(); // Sam's screen, with the models, pauses at once
  await b.getByTestId('models-failed').waitFor(); // Alex's worker tried and could not load them
  await new Promise((r) => setTimeout(r, 500));
  assert.equal(await b.getByTestId('room-safety').count(), 0, 'the rules alone do not hear it');

  fail = false;
  await b.getByTestId('models-failed').getByRole('button', { name: 'Try again' }).click();
  await b.getByTestId('room-safety').waitFor(); // read again with the models: the flag is not lost
  await a.context().close();
  await b.context().close();
});
