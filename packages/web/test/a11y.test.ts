// Accessibility in Debian's Chromium: axe-core (WCAG 2.1 A and AA rules) on every page a person meets,
// in the states they meet it in: home, the lens with a reading shown, the room for the speaker and the
// listener (and with a flagged message: safety first on both screens), practice with feedback, and
// progress. Any violation fails, with what and where.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Browser, Page } from 'playwright-core';
import { startApp } from './harness.ts';
import { openRoom } from './rooms.ts';

const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
let base = '';
let browser: Browser;
let stop: () => Promise<void>;

before(async () => {
  ({ base, browser, stop } = await startApp('a11y'));
});
after(() => stop?.());

interface Violation {
  id: string;
  impact: string;
  help: string;
  nodes: { target: string[]; failureSummary: string }[];
}

/** Run axe on the page as it is now (evaluate is not subject to the page's CSP, a script tag would be). */
async function audit(page: Page, where: string): Promise<string[]> {
  await page.evaluate(axeSource);
  const violations = await page.evaluate(async () => {
    const r = await (
      window as unknown as { axe: { run(ctx: Document, o: object): Promise<{ violations: Violation[] }> } }
    ).axe.run(document, {
      runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] },
    });
    return r.violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      nodes: v.nodes.map((n) => ({ target: n.target, failureSummary: n.failureSummary })),
    }));
  });
  return violations.map(
    (v) =>
      `${where}: ${v.id} (${v.impact}) ${v.help}\n    ${v.nodes
        .slice(0, 3)
        .map((n) => `${n.target.join(' ')}: ${n.failureSummary.split('\n').slice(0, 2).join(' ')}`)
        .join('\n    ')}`,
  );
}

test('every page passes axe (WCAG 2.1 A and AA) in the states people see it in', {
  timeout: 120_000,
}, async () => {
  const found: string[] = [];
  const ctx = await browser.newContext({ viewport: { width: 1000, height: 900 } });
  const page = await ctx.newPage();

  await page.goto(`${base}/`);
  await page.getByRole('heading').first().waitFor();
  found.push(...(await audit(page, 'home')));

  await page.goto(`${base}/lens`);
  await page.locator('textarea').first().fill("You're never really here. I feel invisible.");
  await page.waitForTimeout(600); // the reading appears as you type
  found.push(...(await audit(page, 'lens, with a reading')));
  await page.locator('textarea').first().fill('I want to kill myself');
  await page.getByRole('alert').filter({ hasText: 'Safety first' }).waitFor();
  found.push(...(await audit(page, 'lens, safety first with tel: links')));

  await page.goto(`${base}/practice`);
  await page.getByRole('heading', { name: 'Practice', exact: true }).waitFor();
  found.push(...(await audit(page, 'practice list')));

  await page.goto(`${base}/practice/invisible`);
  const reply = page.locator('#practice-reply');
  await reply.fill("I was only trying to help, you're overreacting.");
  await reply.press('Control+Enter');
  await page.waitForTimeout(600);
  found.push(...(await audit(page, 'practice, with feedback on a defensive reply')));

  await page.goto(`${base}/practice/progress`);
  await page.waitForTimeout(300);
  found.push(...(await audit(page, 'practice progress')));

  // the room: one person starts it, the other joins by the link
  await page.goto(`${base}/`);
  await page.getByLabel('Your name').fill('Sam');
  await page.getByRole('button', { name: /start a private room/i }).click();
  await page.waitForURL(/\/room\//);
  await page.waitForTimeout(500);
  found.push(...(await audit(page, 'room, waiting for the other person')));
  const other = await (await browser.newContext({ viewport: { width: 390, height: 844 } })).newPage();
  await other.goto(page.url());
  await other.waitForTimeout(1000);
  found.push(...(await audit(other, 'room, the one who joined (phone width)')));
  found.push(...(await audit(page, 'room, both in')));

  // the room with a flagged message: safety first on both screens (the writer's draft, then both panels)
  await other.getByLabel('Your name in this room').fill('Alex');
  await other.getByRole('button', { name: 'Join the room' }).click();
  await page.getByLabel('Say what is true for you').fill('I want to kill myself');
  await page.getByTestId('draft-safety').waitFor();
  found.push(...(await audit(page, 'room, the speaker with a flagged draft')));
  await page.getByRole('button', { name: 'Send', exact: true }).click();
  await other.getByTestId('room-safety').waitFor();
  await page.getByTestId('room-safety').waitFor();
  await other.locator('#safe-draft').waitFor();
  found.push(...(await audit(other, 'room, flagged, the reader (phone width)')));
  found.push(...(await audit(page, 'room, flagged, the writer')));

  assert.deepEqual(found, [], `accessibility violations:\n${found.join('\n')}`);
});

test('the room in its newer states passes axe: the modal, the seat link, a time-out, a deletion on its way', {
  timeout: 120_000,
}, async () => {
  const found: string[] = [];
  const { a, b } = await openRoom(base, browser);
  await a.getByLabel('Say what is true for you').fill("You're never really here. I feel invisible.");
  await a.getByRole('button', { name: 'Send', exact: true }).click();
  await b.getByLabel('Say back what you heard').fill("I was only trying to help, you're overreacting.");
  await b.locator('[data-move="minimize"]').waitFor();
  await b.getByRole('button', { name: 'Send reflection' }).click();
  await b.getByRole('dialog', { name: 'Before you send' }).waitFor();
  found.push(...(await audit(b, 'room, "Before you send" (phone width)')));
  await b.keyboard.press('Escape');
  await a.getByText('Continue on another device').click();
  await a.getByTestId('seat-qr').waitFor();
  found.push(...(await audit(a, 'room, the seat link and its QR code')));
  await b.getByRole('button', { name: 'Time-out' }).first().click();
  await a.getByRole('region', { name: 'Time-out' }).waitFor();
  found.push(...(await audit(a, 'room, a time-out called by the other person')));
  found.push(...(await audit(b, 'room, a time-out one called (phone width)')));
  a.on('dialog', (d) => void d.accept());
  await a.getByRole('button', { name: 'Delete for good' }).click();
  await b.getByTestId('delete-notice').waitFor();
  found.push(...(await audit(b, 'room, a deletion on its way (phone width)')));
  assert.deepEqual(found, [], `accessibility violations:\n${found.join('\n')}`);
});

test('the lens passes axe while its models load (a first reading, safety still checking) and when they fail', {
  timeout: 120_000,
}, async () => {
  const found: string[] = [];
  const models = /\/assets\/(goemotions|safety|moves|reply|feelings|needs)-[^/]+\.json$/;
  // the service worker is blocked so the interception sees the engine worker's model requests
  const held = await browser.newContext({ serviceWorkers: 'block', viewport: { width: 390, height: 844 } });
  await held.route(models, () => {}); // never answered while this context lives
  const page = await held.newPage();
  await page.goto(`${base}/lens`);
  await page.getByLabel('A message you received').fill("You're never really here. I feel invisible.");
  await page.getByLabel('Your draft reply').fill("I was only trying to help, you're overreacting.");
  await page.getByTestId('safety-pending').waitFor();
  await page.locator('.moves[data-reading="preliminary"]').waitFor();
  found.push(...(await audit(page, 'lens, a first reading while the models load (phone width)')));
  await held.close();

  const failing = await browser.newContext({ serviceWorkers: 'block' });
  await failing.route(models, (r) => r.fulfill({ status: 503, body: 'down' }));
  const down = await failing.newPage();
  await down.goto(`${base}/lens`);
  await down.getByLabel('A message you received').fill("You're never really here. I feel invisible.");
  await down.getByTestId('models-failed').waitFor();
  await down.locator('.hear[data-reading="preliminary"]').waitFor();
  found.push(...(await audit(down, "lens, the models failed: the rules' reading and Try again")));
  await failing.close();
  assert.deepEqual(found, [], `accessibility violations:\n${found.join('\n')}`);
});
