// Practice end to end in Debian's Chromium: one whole scenario, feedback on each reply, the escalation
// branch, attempts kept in IndexedDB across a reload, the progress view, export and delete.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { shots, startApp } from './harness.ts';
import { scenario } from '@steady/practice';

let base = '';
let browser: Browser;
let stop: () => Promise<void>;
const invisible = scenario('invisible')!;

before(async () => {
  ({ base, browser, stop } = await startApp('practice-e2e'));
});
after(() => stop?.());

test('a new user practises one scenario start to end and sees their progress', async () => {
  const ctx = await browser.newContext({ viewport: { width: 900, height: 1000 }, acceptDownloads: true });
  const page = await ctx.newPage();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));

  await page.goto(`${base}/`);
  await page.getByRole('link', { name: 'Start practising' }).click();
  await page.getByRole('heading', { name: 'Practice', exact: true }).waitFor();
  await page.getByRole('link', { name: invisible.title }).click();
  await page.getByText(invisible.opening.say).waitFor();

  const reply = page.locator('#practice-reply');
  const send = async (text: string, expectNext: string) => {
    await reply.fill(text);
    await page.getByRole('button', { name: 'Reply' }).click();
    await page.locator('.turn.theirs').filter({ hasText: expectNext }).waitFor();
  };
  // a defensive reply: the live marks, then feedback and the escalation branch
  await reply.fill("I was only trying to help, you're overreacting.");
  await page.locator('mark.move').first().waitFor();
  await page.getByRole('button', { name: 'Reply' }).click();
  await page.locator('.turn.theirs').filter({ hasText: invisible.turns[0]!.defensive.say }).waitFor();
  const first = page.getByTestId('feedback').first();
  assert.match(await first.innerText(), /They push harder/);
  assert.ok((await first.innerText()).includes(invisible.opening.model), 'the model reply is shown');
  assert.ok((await first.innerText()).includes(invisible.opening.beneath), 'what was beneath is shown');
  assert.ok(Number(await first.getByTestId('steadiness').innerText()) < 40);
  assert.equal(await first.locator('[data-move="justify"]').count(), 1);
  await page.screenshot({ path: join(shots, 'practice.png'), fullPage: true });

  await send(
    "You're right, I got defensive. I'm listening now. What has it been like?",
    invisible.turns[1]!.steady.say,
  );
  await send(
    'That sounds so lonely. I miss us too. What would help you feel close again?',
    invisible.turns[2]!.steady.say,
  );
  await reply.fill("Yes, let's do that, starting tonight. Thank you for telling me what you need.");
  await reply.press('Control+Enter');
  await page.getByTestId('done').waitFor();
  assert.ok((await page.getByTestId('done').innerText()).includes('4 replies'));
  assert.equal(await page.getByTestId('feedback').count(), 4);
  assert.ok((await page.locator('.turn.theirs').last().innerText()).includes(invisible.close.steady));

  // progress, after a reload: the attempts live in IndexedDB
  await page.goto(`${base}/practice/progress`);
  await page.reload();
  await page.getByTestId('summary').waitFor();
  assert.match(await page.getByTestId('summary').innerText(), /4 replies in 1 scenario, 1 finished/);
  // four replies: the first two against the last two, never "first five, last five" of four
  assert.match(
    await page.getByTestId('summary').innerText(),
    /your first 2 replies averaged \d+, your last 2 \d+\./,
  );
  assert.doesNotMatch(await page.getByTestId('summary').innerText(), /five/);
  assert.equal(await page.getByTestId('chart').locator('circle').count(), 4);
  const bars = await page.getByRole('list', { name: 'Defensive moves, most used first' }).innerText();
  assert.match(bars, /explaining yourself/);
  assert.match(bars, /shrinking the feeling/);
  await page.screenshot({ path: join(shots, 'practice-progress.png'), fullPage: true });

  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('button', { name: 'Export my attempts (JSON)' }).click(),
  ]);
  const exported = JSON.parse(readFileSync((await download.path())!, 'utf8'));
  assert.equal(exported.attempts.length, 4);
  assert.equal(exported.attempts[0].scenario, 'invisible');

  page.once('dialog', (d) => void d.accept());
  await page.getByRole('button', { name: 'Delete all attempts' }).click();
  await page.getByText('All attempts deleted.').waitFor();
  await page.reload();
  await page.getByText('No practice yet.').waitFor();
  assert.deepEqual(errors, []);
  await ctx.close();
});
