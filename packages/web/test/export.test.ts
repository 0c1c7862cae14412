// The Markdown export, in Debian's Chromium: the conversation with the day it happened and the time of
// each turn, in the exporter's local time, which it names.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import type { Browser } from 'playwright-core';
import { startApp } from './harness.ts';
import { openRoom, speak } from './rooms.ts';

let base = '';
let browser: Browser;
let stop: () => Promise<void>;

before(async () => {
  ({ base, browser, stop } = await startApp('export'));
});
after(() => stop?.());

test('the Markdown export carries the date and each turn its time', async () => {
  const pair = await openRoom(base, browser);
  const { a, b } = pair;
  const before = Date.now();
  await speak(pair, 'I felt alone at the party.');
  await b.getByLabel('Say back what you heard').fill('It sounds like you felt left on your own.');
  await b.getByRole('button', { name: 'Send reflection' }).click();
  await a.getByText('It sounds like you felt left on your own.').waitFor();
  const after = Date.now();

  const [download] = await Promise.all([
    a.waitForEvent('download'),
    a.getByRole('button', { name: 'Export Markdown' }).click(),
  ]);
  const md = readFileSync((await download.path())!, 'utf8');
  // the browser's own idea of the local day and times (the test does not assume a time zone)
  const local = await a.evaluate(
    (times) =>
      times.map((t) => {
        const d = new Date(t);
        const p = [d.getMonth() + 1, d.getDate(), d.getHours(), d.getMinutes()].map((n) =>
          String(n).padStart(2, '0'),
        );
        return { day: `${d.getFullYear()}-${p[0]}-${p[1]}`, time: `${p[2]}:${p[3]}` };
      }),
    [before, after],
  );
  assert.match(
    md,
    /^# Steady conversation\n\nExported \d{4}-\d\d-\d\d \d\d:\d\d; times are local \(UTC[+-]\d\d:\d\d\)\.\n/,
  );
  assert.ok(
    local.some((l) => md.includes(`\n## ${l.day}\n`)),
    `a heading for the day (${local.map((l) => l.day)}):\n${md}`,
  );
  const lines = md.split('\n').filter((l) => l.startsWith('- '));
  assert.equal(lines.length, 2, md);
  for (const [line, who, what] of [
    [lines[0]!, 'Sam', 'I felt alone at the party.'],
    [lines[1]!, 'Alex', 'reflects: It sounds like you felt left on your own.'],
  ] as const) {
    const m = /^- (\d\d:\d\d) \*\*(\w+)\*\* (.*)$/.exec(line);
    assert.ok(m, `a time on "${line}"`);
    assert.ok(
      local.map((l) => l.time).includes(m[1]!) || (m[1]! >= local[0]!.time && m[1]! <= local[1]!.time),
      `${m[1]} is when it was sent (${local.map((l) => l.time)})`,
    );
    assert.equal(m[2], who);
    assert.equal(m[3], what);
  }
  assert.deepEqual(pair.errors, []);
});
