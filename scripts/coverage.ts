// npm run coverage: line coverage of the packages' sources from Node's own test runner, over the suites that
// run in process (engine, protocol, practice, learn, api; the CLI, server and browser suites test real child
// processes, which the runner cannot see into). Fails below the floor in scripts/coverage-floor.json, which
// only rises: raise it when the figure climbs. Writes nothing into the tree.
import { spawnSync } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

const SUITES = ['engine', 'protocol', 'rate', 'practice', 'learn', 'api'];
const files = SUITES.flatMap((p) =>
  readdirSync(join('packages', p, 'test'))
    .filter((f) => f.endsWith('.test.ts'))
    .map((f) => join('packages', p, 'test', f)),
);
process.stderr.write(`coverage: running ${files.length} suites in process…\n`);
const r = spawnSync(
  process.execPath,
  ['--import', 'tsx', '--test', '--experimental-test-coverage', '--test-reporter=spec', ...files],
  { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 },
);
if (r.status !== 0) {
  process.stderr.write(r.stdout.slice(-4000) + r.stderr.slice(-2000));
  process.stderr.write('coverage: the suites failed\n');
  process.exit(1);
}
// "# packages/engine/src/check.ts | 95.77 | 95.79 | 98.15 | 1 477-496" (the runner counts test files too: skipped)
const rows: { file: string; pct: number; lines: number }[] = [];
for (const line of r.stdout.split('\n')) {
  const m = /^#?\s*(packages\/[^/]+\/src\/\S+)\s*\|\s*([\d.]+)\s*\|/.exec(line.replace(/^ℹ\s*/, ''));
  if (!m) continue;
  const lines = readFileSync(m[1]!, 'utf8').split('\n').length;
  rows.push({ file: m[1]!, pct: Number(m[2]), lines });
}
if (!rows.length) {
  process.stderr.write('coverage: no report found in the runner output\n');
  process.exit(1);
}
const total = rows.reduce((s, x) => s + x.lines, 0);
const covered = rows.reduce((s, x) => s + (x.pct / 100) * x.lines, 0);
const pct = Math.round((covered / total) * 1000) / 10;
const byPackage = new Map<string, [number, number]>();
for (const x of rows) {
  const p = x.file.split('/')[1]!;
  const [c, t] = byPackage.get(p) ?? [0, 0];
  byPackage.set(p, [c + (x.pct / 100) * x.lines, t + x.lines]);
}
for (const [p, [c, t]] of byPackage)
  process.stdout.write(`${p.padEnd(10)} ${((c / t) * 100).toFixed(1)}% of ${t} lines\n`);
const floor = JSON.parse(readFileSync('scripts/coverage-floor.json', 'utf8')).lines as number;
process.stdout.write(
  `all       ${pct}% of ${total} lines in ${rows.length} source files (floor ${floor}%)\n`,
);
if (pct < floor) {
  process.stderr.write(`coverage: ${pct}% is below the floor of ${floor}%\n`);
  process.exit(1);
}
if (pct >= floor + 1)
  process.stdout.write(`coverage: above the floor by ${(pct - floor).toFixed(1)} points: raise it\n`);
