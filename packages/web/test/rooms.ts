// Shared steps for the room's browser tests: Sam starts a room, Alex joins it by the link.
import type { Browser, BrowserContext, Page } from 'playwright-core';

export const PHONE = { width: 390, height: 844 };

export interface Pair {
  a: Page;
  b: Page;
  link: string;
  errors: string[];
}

/**
 * Sam (a wide screen) starts a room and Alex (a phone) joins it; both see their role. `alex` sets up Alex's
 * browser first (a route that holds back or fails the models, say).
 */
export async function openRoom(
  base: string,
  browser: Browser,
  alex: { serviceWorkers?: 'block'; prepare?: (ctx: BrowserContext) => Promise<unknown> } = {},
): Promise<Pair> {
  const a = await (await browser.newContext({ viewport: { width: 900, height: 900 } })).newPage();
  const bctx = await browser.newContext({
    viewport: PHONE,
    ...(alex.serviceWorkers ? { serviceWorkers: alex.serviceWorkers } : {}),
  });
  await alex.prepare?.(bctx);
  const b = await bctx.newPage();
  const errors: string[] = [];
  for (const p of [a, b]) p.on('pageerror', (e) => errors.push(e.message));
  await a.goto(`${base}/`);
  await a.getByLabel('Your name').fill('Sam');
  await a.getByRole('button', { name: 'Start a private room' }).click();
  await a.waitForURL(/\/room\/[A-Za-z0-9_-]{22}#k=/);
  const link = a.url();
  await a.getByTestId('room-link').waitFor(); // the one who made the room is seated at once
  await b.goto(link);
  await b.getByLabel('Your name in this room').fill('Alex');
  await b.getByRole('button', { name: 'Join the room' }).click();
  await a.getByTestId('role-line').filter({ hasText: 'You have the floor' }).waitFor();
  await b.getByTestId('role-line').filter({ hasText: 'You are listening' }).waitFor();
  return { a, b, link, errors };
}

/** Sam speaks, so that Alex may reflect. */
export async function speak(p: Pair, text: string): Promise<void> {
  await p.a.getByLabel('Say what is true for you').fill(text);
  await p.a.getByRole('button', { name: 'Send', exact: true }).click();
  await p.b.getByText(text).waitFor();
}

export const contextOf = (p: Page): BrowserContext => p.context();

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
