// Be heard first (/listen), in Debian's Chromium: a whole solo session (a correction, a reload in the
// middle) that ends in a room whose first message is the start-up; safety first with no start-up; export
// and delete from IndexedDB; a phone-width screen; and axe on every state of the page.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { hear } from '@steady/engine';
import { shots, startApp } from './harness.ts';

const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
let base = '';
let browser: Browser;
let db = '';
let stop: () => Promise<void>;

before(async () => {
  ({ base, browser, db, stop } = await startApp('listen'));
});
after(() => stop?.());

const PHONE = { width: 390, height: 844 };

async function shot(p: Page, name: string): Promise<void> {
  await p.screenshot({ path: join(shots, `${name}.png`), fullPage: true });
}

/** axe (WCAG 2.1 A and AA) on the page as it is now; a list of violations, empty when clean. */
async function audit(page: Page, where: string): Promise<string[]> {
  await page.evaluate(axeSource);
  const found = await page.evaluate(async () => {
    const r = await (
      window as unknown as {
        axe: {
          run(
            ctx: Document,
            o: object,
          ): Promise<{ violations: { id: string; help: string; nodes: { target: string[] }[] }[] }>;
        };
      }
    ).axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } });
    return r.violations.map(
      (v) => `${v.id}: ${v.help} at ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`,
    );
  });
  return found.map((f) => `${where}: ${f}`);
}

async function say(p: Page, text: string, count: number): Promise<string> {
  await p.locator('#listen-text').fill(text);
  await p.getByRole('button', { name: /^Send/ }).click();
  const r = p.getByTestId('reflection').nth(count - 1);
  await r.waitFor();
  return (await r.textContent()) ?? '';
}

/** The page fits the screen: nothing wider than the viewport, so nothing scrolls sideways. */
async function fits(p: Page): Promise<void> {
  const [scroll, width] = await p.evaluate(() => [document.documentElement.scrollWidth, window.innerWidth]);
  assert.ok(scroll <= width, `the page is ${scroll}px wide on a ${width}px screen`);
}

test('a solo session, corrected and reloaded, ends in a room whose first message is the start-up', {
  timeout: 120_000,
}, async () => {
  const a = await (await browser.newContext({ viewport: { width: 900, height: 1000 } })).newPage();
  const b = await (await browser.newContext({ viewport: PHONE })).newPage();
  const errors: string[] = [];
  for (const p of [a, b]) p.on('pageerror', (e) => errors.push(e.message));

  await a.goto(`${base}/`);
  await a.getByRole('link', { name: 'Start listening' }).click();
  await a.getByRole('heading', { name: 'Be heard first' }).waitFor();
  const first = await say(a, 'my sister keeps joking about my weight at dinner', 1);
  assert.match(first, /your sister keeps joking about your weight at dinner/);
  assert.match(first, /\?$/, 'asks whether there is more');

  // "Not quite": the next reflection takes what they add
  await a.getByRole('button', { name: 'Not quite' }).click();
  await a.getByLabel('What did I miss?').waitFor();
  const fixed = await say(a, 'I felt humiliated, not just hurt', 2);
  assert.match(fixed, /humiliated/);
  assert.match(fixed, /your sister/);
  const third = await say(a, 'she did it again in front of everyone', 3);
  assert.match(third, /in front of everyone/);
  const openings = [first, fixed, third].map((r) =>
    r
      .replace(/^Steady:\s*/, '')
      .split(' ')
      .slice(0, 2)
      .join(' '),
  );
  assert.equal(new Set(openings).size, 3, openings.join(' | '));

  // IndexedDB keeps the session across a reload
  await a.reload();
  await a.getByTestId('reflection').nth(2).waitFor();
  assert.equal(await a.getByTestId('reflection').count(), 3);
  await a.getByText('You, correcting:').waitFor();

  await a.getByRole('button', { name: "That's it" }).click();
  await a.getByRole('heading', { name: 'What was beneath' }).waitFor();
  // focus moves to the summary (a frame after it renders)
  await a.waitForFunction(() => document.activeElement?.textContent === 'What was beneath');
  assert.match((await a.getByTestId('beneath').textContent()) ?? '', /humiliated|ashamed/);
  const startup = await a.getByLabel('Your start-up').inputValue();
  assert.match(
    startup,
    /^When you keep joking about my weight at dinner, I feel humiliated, because I need /,
  );
  assert.deepEqual(
    hear(startup).cues.filter((c) => c.id !== 'you_statement'),
    [],
    `no blame cue in the start-up: ${startup}`,
  );
  await shot(a, 'listen');

  // take it into a room: it waits in the speaker's box and is the room's first message
  await a.getByRole('button', { name: 'Open a room with it' }).click();
  await a.waitForURL(/\/room\/[A-Za-z0-9_-]{22}#k=/);
  await a.getByLabel('Your name in this room').fill('Maya');
  await a.getByRole('button', { name: 'Join the room' }).click();
  await a.getByTestId('room-link').waitFor();
  await b.goto(a.url());
  await b.getByLabel('Your name in this room').fill('Ana');
  await b.getByRole('button', { name: 'Join the room' }).click();
  const box = a.getByLabel('Say what is true for you');
  await box.waitFor();
  assert.equal(await box.inputValue(), startup, 'the start-up waits in the speaker box');
  await a.getByRole('button', { name: 'Send', exact: true }).click();
  await b.getByText(startup).waitFor();
  const turns = b.getByTestId('turn-speak');
  assert.equal(await turns.count(), 1);
  assert.match((await turns.first().textContent()) ?? '', new RegExp(startup.replace(/[.?()]/g, '\\$&')));
  // once said, it is spent: the tab forgets it, so the box never offers it again
  await a.waitForFunction(() => !Object.keys(sessionStorage).some((k) => k.startsWith('steady:first:')));

  // the server saw neither the story nor the start-up
  const bytes = Buffer.concat([db, `${db}-wal`].filter(existsSync).map((f) => readFileSync(f)));
  for (const plain of ['joking about my weight', 'humiliated', 'Maya'])
    assert.equal(bytes.includes(Buffer.from(plain)), false, `"${plain}" found in the database`);
  assert.deepEqual(errors, []);
});

test('safety first: help instead of coaching, and no start-up, on a phone-width screen', {
  timeout: 60_000,
}, async () => {
  const p = await (await browser.newContext({ viewport: PHONE })).newPage();
  await p.goto(`${base}/listen`);
  await say(p, 'my partner forgot my birthday', 1);
  const help = await say(p, "I don't want to be alive anymore", 2);
  assert.doesNotMatch(help, /Is there more|sounds like/, 'no reflection of it');
  const panel = p.getByTestId('listen-safety');
  await panel.waitFor();
  assert.match((await panel.textContent()) ?? '', /crisis line.*emergency number/s);
  assert.equal(await panel.getAttribute('role'), 'alert');
  assert.equal(await panel.getAttribute('data-safety'), 'self_harm');
  await fits(p);
  await p.getByRole('button', { name: "That's it" }).click();
  await p.getByText('No start-up and no coaching for this conversation').waitFor();
  // focus goes to the help (a frame after it renders)
  await p.waitForFunction(() => document.activeElement?.getAttribute('data-testid') === 'listen-safety');
  assert.equal(await p.getByRole('heading', { name: 'What was beneath' }).count(), 0);
  assert.equal(await p.getByRole('heading', { name: /gentle start-up/ }).count(), 0);
  assert.equal(await p.getByRole('button', { name: 'Open a room with it' }).count(), 0);
  await panel.waitFor();
  await shot(p, 'listen-safety');
});

test('the session can be exported and deleted, and stays on the device', { timeout: 60_000 }, async () => {
  const ctx = await browser.newContext({ viewport: PHONE, acceptDownloads: true });
  const p = await ctx.newPage();
  await p.goto(`${base}/listen`);
  await say(p, 'Sam forgot my birthday again', 1);
  await say(p, 'I felt so alone at the restaurant', 2);
  await p.getByRole('button', { name: "That's it" }).click();
  await p.getByLabel('Your start-up').waitFor();
  await fits(p);
  // "Copy it" puts the start-up, as edited, on the clipboard to send elsewhere
  await ctx.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: base });
  await p
    .getByLabel('Your start-up')
    .fill('When you forgot my birthday, I felt alone. Could we plan the next one together?');
  await p.getByRole('button', { name: 'Copy it' }).click();
  await p.getByText('Copied. Send it wherever you talk.').waitFor();
  assert.equal(
    await p.evaluate(() => navigator.clipboard.readText()),
    'When you forgot my birthday, I felt alone. Could we plan the next one together?',
  );
  const [download] = await Promise.all([
    p.waitForEvent('download'),
    p.getByRole('button', { name: 'Export (JSON)' }).click(),
  ]);
  const exported = JSON.parse(readFileSync((await download.path())!, 'utf8'));
  assert.deepEqual(
    exported.turns.map((t: { text: string }) => t.text),
    ['Sam forgot my birthday again', 'I felt so alone at the restaurant'],
  );
  assert.match(exported.turns[0].reflection, /Sam forgot your birthday/);
  assert.match(exported.startup, /^When you forgot my birthday/);
  assert.equal(exported.safety, null);

  await p.getByRole('button', { name: 'Delete this session' }).click();
  await p.getByText('The session is deleted from this device.').waitFor();
  await p.reload();
  await p.getByLabel('What hurts?').waitFor();
  assert.equal(await p.getByTestId('reflection').count(), 0);
  const left = await p.evaluate(
    () =>
      new Promise<number>((resolve, reject) => {
        const req = indexedDB.open('steady-listen');
        req.onsuccess = () => {
          const c = req.result.transaction('sessions').objectStore('sessions').count();
          c.onsuccess = () => resolve(c.result);
          c.onerror = () => reject(c.error);
        };
        req.onerror = () => reject(req.error);
      }),
  );
  assert.equal(left, 0, 'nothing left in IndexedDB');
});

test('axe finds nothing on /listen: empty, mid-session, correcting, summary, safety', {
  timeout: 90_000,
}, async () => {
  const found: string[] = [];
  for (const viewport of [{ width: 1000, height: 900 }, PHONE]) {
    const p = await (await browser.newContext({ viewport })).newPage();
    const w = `${viewport.width}px`;
    await p.goto(`${base}/listen`);
    await p.getByLabel('What hurts?').waitFor();
    found.push(...(await audit(p, `${w} empty`)));
    await say(p, 'my boss took credit for my report in the meeting', 1);
    found.push(...(await audit(p, `${w} one reflection`)));
    await p.getByRole('button', { name: 'Not quite' }).click();
    found.push(...(await audit(p, `${w} correcting`)));
    await say(p, 'I felt so embarrassed', 2);
    await p.getByRole('button', { name: "That's it" }).click();
    await p.getByLabel('Your start-up').waitFor();
    found.push(...(await audit(p, `${w} summary and start-up`)));
    await fits(p);
    await p.getByRole('button', { name: 'Delete this session' }).click();
    await say(p, "I don't want to be alive anymore", 1);
    await p.getByTestId('listen-safety').waitFor();
    found.push(...(await audit(p, `${w} safety first`)));
  }
  assert.deepEqual(found, []);
});
