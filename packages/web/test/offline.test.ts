// Load and offline, in Debian's Chromium against the built app: files go out precompressed (brotli or
// gzip), hashed assets are cached for good and the shell is checked each time; the engine worker is
// warmed on idle after the first paint; a manifest is linked; a service worker keeps the shell, the
// engine, its learned models and every page's code, so the lens opens and reads in full offline.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { request } from 'node:http';
import type { Browser, Page } from 'playwright-core';
import { startApp } from './harness.ts';

let base = '';
let browser: Browser;
let stop: () => Promise<void>;

before(async () => {
  ({ base, browser, stop } = await startApp('offline'));
});
after(() => stop?.());

/** GET with an Accept-Encoding (fetch would decode and hide it): status, headers, body length. */
function get(
  path: string,
  encoding: string,
): Promise<{ status: number; headers: Record<string, unknown>; bytes: number }> {
  return new Promise((ok, fail) => {
    request(`${base}${path}`, { headers: { 'accept-encoding': encoding } }, (res) => {
      let bytes = 0;
      res.on('data', (c: Buffer) => (bytes += c.length));
      res.on('end', () => ok({ status: res.statusCode!, headers: res.headers, bytes }));
    })
      .on('error', fail)
      .end();
  });
}

/**
 * Wait until an async check in the page holds. page.waitForFunction cannot: it takes the promise an async
 * function returns as a truthy answer and stops at once (this test once went offline too early so).
 */
async function until(page: Page, check: () => Promise<boolean>, ms = 60_000): Promise<void> {
  const end = Date.now() + ms;
  while (!(await page.evaluate(check))) {
    if (Date.now() > end) throw new Error(`not so after ${ms} ms: ${check.toString().slice(0, 200)}`);
    await page.waitForTimeout(200);
  }
}

test('precompressed files; hashed assets cached for good, the shell checked each time', async () => {
  const html = await (await fetch(`${base}/`)).text();
  const script = /src="(\/assets\/index-[^"]+\.js)"/.exec(html)?.[1];
  assert.ok(script, 'the shell names its hashed script');
  const plain = await get(script, 'identity');
  const br = await get(script, 'br, gzip');
  const gz = await get(script, 'gzip');
  assert.equal(br.status, 200);
  assert.equal(br.headers['content-encoding'], 'br');
  assert.equal(gz.headers['content-encoding'], 'gzip');
  assert.equal(plain.headers['content-encoding'], undefined);
  assert.ok(br.bytes < plain.bytes / 2, `brotli ${br.bytes} of ${plain.bytes} bytes`);
  assert.match(String(br.headers['cache-control']), /max-age=31536000.*immutable/);
  for (const path of ['/', '/lens', '/sw.js', '/manifest.webmanifest']) {
    const r = await get(path, 'br');
    assert.equal(r.status, 200, path);
    assert.equal(r.headers['cache-control'], 'no-cache', path);
  }
});

test('the engine is warmed after first paint; the service worker keeps shell and engine for offline use', async () => {
  const ctx = await browser.newContext();
  const page = await ctx.newPage();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(`${base}/`);
  const manifest = await page.evaluate(async () => {
    const href = document.querySelector<HTMLLinkElement>('link[rel="manifest"]')?.href;
    return href ? ((await (await fetch(href)).json()) as { name: string; start_url: string }) : null;
  });
  assert.equal(manifest?.name, 'Steady');
  // nobody typed anything, yet the engine worker was fetched (warmed on idle), through the service
  // worker, which holds it with the shell
  await until(page, async () => {
    const keys = await caches.keys();
    if (!keys.length) return false;
    const c = await caches.open(keys[0]!);
    const urls = (await c.keys()).map((r) => new URL(r.url).pathname);
    const page = Array.from(
      document.querySelectorAll<HTMLScriptElement | HTMLLinkElement>('script[src], link[rel="stylesheet"]'),
    )
      .map((e) => new URL('src' in e ? e.src : e.href).pathname)
      .filter((u) => u.startsWith('/assets/'));
    // the shell, the engine worker and every script and style the page loaded: the page names them to the
    // service worker after first paint, and they are stored in the background
    // and the engine's learned models (fetched after the worker's first reading) and the other pages'
    // code (each page but the lens is its own chunk, named in the shell)
    const pages = (document.querySelector<HTMLMetaElement>('meta[name="steady-pages"]')?.content ?? '')
      .split(' ')
      .filter(Boolean);
    const models = ['goemotions', 'safety', 'moves', 'reply', 'feelings', 'needs'];
    return (
      urls.includes('/') &&
      urls.some((u) => /^\/assets\/worker-/.test(u)) &&
      page.every((u) => urls.includes(u)) &&
      pages.length > 0 &&
      pages.every((u) => urls.includes(u)) &&
      models.every((m) => urls.some((u) => u.startsWith(`/assets/${m}-`) && u.endsWith('.json')))
    );
  });
  // the page is under an activated service worker before the network goes
  await page.waitForFunction(() => navigator.serviceWorker.controller?.state === 'activated');
  await ctx.setOffline(true);
  await page.goto(`${base}/lens`);
  await page.getByLabel('A message you received').fill("You're never really here. I feel invisible.");
  // the first reading offline compiles the engine and its models from the cache: on a loaded 2-core
  // machine that can take a while, which is not what this test measures (scripts/first-lens.ts does)
  // the full reading, not only the rules' first one: the models came from the cache too
  await page.locator('.hear[data-reading="full"]').waitFor({ timeout: 90_000 });
  assert.match(await page.locator('.hear').innerText(), /The misreading to avoid/);
  assert.equal(await page.getByTestId('models-failed').count(), 0);
  // another page, whose code is a chunk of its own, opens offline too
  await page.goto(`${base}/practice`);
  await page.getByRole('heading', { name: 'Practice', exact: true }).waitFor({ timeout: 30_000 });
  await ctx.setOffline(false);
  assert.deepEqual(errors, []);
  await ctx.close();
});

test('a lens opened first (its worker and models load before the service worker is there) reads in full offline after', async () => {
  const ctx = await browser.newContext();
  const page = await ctx.newPage();
  await page.goto(`${base}/lens`);
  await page.getByLabel('A message you received').fill('I feel invisible.');
  await page.locator('.hear[data-reading="full"]').waitFor({ timeout: 60_000 });
  await until(page, async () => {
    const keys = await caches.keys();
    if (!keys.length) return false;
    const urls = (await (await caches.open(keys[0]!)).keys()).map((r) => new URL(r.url).pathname);
    return ['goemotions', 'safety', 'moves', 'reply', 'feelings', 'needs'].every((m) =>
      urls.some((u) => u.startsWith(`/assets/${m}-`)),
    );
  });
  await page.waitForFunction(() => navigator.serviceWorker.controller?.state === 'activated');
  await ctx.setOffline(true);
  await page.reload();
  await page.getByLabel('A message you received').fill("You're never really here. I feel invisible.");
  await page.locator('.hear[data-reading="full"]').waitFor({ timeout: 90_000 });
  assert.equal(await page.getByTestId('models-failed').count(), 0);
  await ctx.setOffline(false);
  await ctx.close();
});
