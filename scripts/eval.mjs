// npm run eval: the full evaluation over ../shared/data (or STEADY_DATA), writing docs/eval.
// Extra arguments pass through (e.g. -- --task goemotions, -- --json).
import { existsSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
const data = process.env.STEADY_DATA ?? '../shared/data';
if (!existsSync(data)) {
  console.error(
    `steady eval: no data folder at ${data}; set STEADY_DATA to the folder holding goemotions/, epitome/, esconv/, annomi/`,
  );
  process.exit(2);
}
const extra = process.argv.slice(2);
const args = [
  'packages/cli/bin/steady.js',
  'eval',
  '--data',
  data,
  ...(extra.includes('--task') ? [] : ['--write', 'docs/eval']),
  ...extra,
];
process.exit(spawnSync(process.execPath, args, { stdio: 'inherit' }).status ?? 1);
