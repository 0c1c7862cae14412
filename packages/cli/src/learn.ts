// steady train / steady eval: the learning commands, loaded only when asked for so the lenses start fast.

import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import {
  DataError,
  MESSAGE_CORPUS,
  ProgressBar,
  REPLY_CORPUS,
  freezeMessageSplit,
  readMessageCorpus,
  SAFETY_CORPUS,
  freezeReplySplit,
  freezeSplit,
  readReplyCorpus,
  readSafetyCorpus,
  runEval,
  trainShipped,
  SHIPPED,
  TASKS,
  type Task,
} from '@steady/learn';
import { palette } from './style.js';

const out = palette(process.stdout);
const err = palette(process.stderr);

export class LearnUsageError extends Error {}

function publicDataDir(dir: string | undefined): string {
  if (!dir)
    throw new LearnUsageError(
      '--data DIR is required (the folder holding goemotions/, epitome/, esconv/, annomi/)',
    );
  if (!existsSync(dir)) throw new LearnUsageError(`data folder not found: ${dir}`);
  return resolve(dir);
}

function ticker(): (label: string, done: number, total: number) => void {
  let bar: ProgressBar | undefined;
  let current = '';
  return (label, done, total) => {
    if (label !== current) {
      current = label;
      bar = new ProgressBar(`training ${label}`, total);
    }
    bar!.tick();
    if (done >= total) bar!.end(`${total} epochs`);
  };
}

export async function trainCommand(v: {
  data?: string;
  out?: string;
  task?: string;
  freeze?: boolean;
}): Promise<number> {
  if (v.freeze) {
    // once, before any tuning: the safety corpus's stratified 20% test split
    if (v.task !== 'safety' && v.task !== 'moves' && v.task !== 'hear')
      throw new LearnUsageError('--freeze is for --task safety, moves or hear');
    const ids =
      v.task === 'safety'
        ? freezeSplit(readSafetyCorpus())
        : v.task === 'moves'
          ? freezeReplySplit(readReplyCorpus())
          : freezeMessageSplit(readMessageCorpus());
    const where = resolve(
      v.task === 'safety' ? SAFETY_CORPUS : v.task === 'moves' ? REPLY_CORPUS : MESSAGE_CORPUS,
      'test-ids.json',
    );
    process.stdout.write(
      `${out.green('✓')} froze ${ids.length} new test ids into ${where} (files already frozen are never split again)\n`,
    );
    return 0;
  }
  // the safety model trains on the project's own corpus alone; the others need the public data
  const dir = v.task === 'safety' || v.task === 'moves' || v.task === 'hear' ? '' : publicDataDir(v.data);
  const target = resolve(v.out ?? 'packages/engine/models');
  const which = v.task ? [v.task] : [...SHIPPED];
  for (const t of which)
    if (!(SHIPPED as readonly string[]).includes(t))
      throw new LearnUsageError(
        `steady train builds only shippable models (${SHIPPED.join(', ')}); "${t}" is evaluated in memory by steady eval`,
      );
  const t0 = Date.now();
  try {
    trainShipped(dir, target, which, ticker());
  } catch (e) {
    if (e instanceof DataError) throw new LearnUsageError(e.message);
    throw e;
  }
  process.stdout.write(
    `${out.green('✓')} trained ${which.join(', ')} into ${target} in ${((Date.now() - t0) / 1000).toFixed(1)} s\n`,
  );
  return 0;
}

export async function evalCommand(v: {
  data?: string;
  task?: string;
  json?: boolean;
  write?: string;
}): Promise<number> {
  const dir = publicDataDir(v.data);
  if (v.task && !(TASKS as readonly string[]).includes(v.task))
    throw new LearnUsageError(`unknown task "${v.task}" (one of ${TASKS.join(', ')})`);
  const tasks = v.task ? [v.task as Task] : TASKS;
  try {
    const res = await runEval(dir, {
      tasks,
      write: v.write ? resolve(v.write) : undefined,
      corpus: tasks.length === TASKS.length ? resolve('corpus/replies.jsonl') : undefined,
      tick: ticker(),
      log: (line) => process.stderr.write(`${err.dim(line)}\n`),
    });
    if (v.json) process.stdout.write(`${JSON.stringify(res.json)}\n`);
    else
      process.stdout.write(
        `${res.table}\n${v.write ? `\n${out.green('✓')} report written to ${v.write}\n` : ''}`,
      );
  } catch (e) {
    if (e instanceof DataError) throw new LearnUsageError(e.message);
    throw e;
  }
  return 0;
}
