// npx tsx scripts/bench-listen.ts: steady listen's cost. Messages per second through a session (each read
// once), and the growth check: a session four times as long should take about four times as long (linear),
// not sixteen (a session that re-read its past each turn). Also one long message, 4x longer.
import { performance } from 'node:perf_hooks';
import { readFileSync } from 'node:fs';
import { Listening } from '../packages/engine/src/index.ts';

const lines = readFileSync('corpus/messages.jsonl', 'utf8')
  .split('\n')
  .filter(Boolean)
  .map((l) => JSON.parse(l) as { text: string; safety: string | null })
  .filter((m) => !m.safety)
  .map((m) => m.text);

function session(n: number): number {
  const l = new Listening();
  const t0 = performance.now();
  for (let i = 0; i < n; i++) l.say(lines[i % lines.length]!);
  l.finish();
  return performance.now() - t0;
}

function best(fn: () => number, runs = 3): number {
  return Math.min(...Array.from({ length: runs }, fn));
}

session(200); // warm up
const small = best(() => session(500));
const large = best(() => session(2000));
console.log(`session of 500 messages: ${small.toFixed(0)} ms (${((500 / small) * 1000).toFixed(0)} msg/s)`);
console.log(`session of 2000 messages: ${large.toFixed(0)} ms (${((2000 / large) * 1000).toFixed(0)} msg/s)`);
console.log(`growth for 4x the messages: ${(large / small).toFixed(2)}x (linear is 4)`);

const story = 'my sister keeps joking about my weight at dinner and I felt so embarrassed. ';
const one = (k: number) =>
  best(() => {
    const t0 = performance.now();
    const l = new Listening();
    l.say(story.repeat(k));
    l.finish();
    return performance.now() - t0;
  });
const a = one(500);
const b = one(2000);
console.log(
  `one message of ${story.length * 500} chars: ${a.toFixed(0)} ms; 4x longer: ${b.toFixed(0)} ms (${(b / a).toFixed(2)}x, linear is 4)`,
);
