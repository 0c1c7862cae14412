// steady listen: the solo listening space in a terminal. One message a line (typed, or piped in); after
// each, Steady says back what it heard. "not quite ..." corrects the last reflection; "that's it" (or the
// end of input) finishes with what was beneath and a gentle start-up, or with help first when a message
// carries risk. --json prints one object at the end (CONTRACT.md section 5).

import { createInterface } from 'node:readline';
import { InputError, isDone, Listening, notQuite, type ListenResult, type Options } from '@steady/engine';
import { palette } from './style.js';

const HINT =
  'Write what hurts, a message at a time. "not quite ..." corrects me; "that\'s it" (or Ctrl-D) finishes.';

export async function listenCommand(
  values: { json?: boolean; jsonl?: boolean },
  opts: Options,
): Promise<number> {
  if (values.jsonl) throw new InputError('listen reads one session; use --json for one object at the end');
  const interactive = Boolean(process.stdin.isTTY);
  // with --json, stdout carries only the object; a person typing still sees the reflections, on stderr
  const talk = values.json ? process.stderr : process.stdout;
  const c = palette(talk);
  const say = (s: string) => {
    if (!values.json || interactive) talk.write(`${s}\n`);
  };
  const listening = new Listening(opts);
  const rl = createInterface({ input: process.stdin, crlfDelay: Infinity, terminal: false });
  if (interactive) say(c.dim(HINT));
  const prompt = () => {
    if (interactive) talk.write(c.dim('> '));
  };
  prompt();
  let correcting = false;
  let safetyShown = false;
  let n = 0;
  for await (const raw of rl) {
    n++;
    if (raw.includes('\0'))
      throw new InputError(`line ${n} looks binary (it contains a NUL byte); give text`);
    const line = raw.trim();
    if (!line) {
      prompt();
      continue;
    }
    if (isDone(line)) break;
    const fix = notQuite(line);
    if (fix === '') {
      // "not quite" alone: the next line says what was off
      if (listening.turns.length) {
        correcting = true;
        say(c.dim('What did I miss?'));
      }
      prompt();
      continue;
    }
    const correction = (fix !== null || correcting) && listening.turns.length > 0;
    const r = correction ? listening.correct(fix ?? line) : listening.say(fix ?? line);
    correcting = false;
    if (r.safety && !safetyShown) {
      safetyShown = true;
      say(`${c.bold(c.red('Safety first.'))} ${r.text}`);
      for (const x of r.safety.resources) say(`  - ${x}`);
    } else say(r.safety ? `${c.bold(c.red('Safety first.'))} ${r.text}` : c.cyan(r.text));
    prompt();
  }
  rl.close();
  const result = listening.finish();
  if (values.json) process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
  else process.stdout.write(`${renderSummary(result)}\n`);
  return 0;
}

function renderSummary(r: ListenResult): string {
  const c = palette(process.stdout);
  if (r.turns.length === 0) return c.dim('Nothing was said. Come back when you are ready.');
  if (r.safety) {
    // help first: no summary to dwell on, no start-up, no coaching for a conversation
    const out = ['', c.bold(c.red('Safety first')), `  ${r.safety.message}`];
    for (const x of r.safety.resources) out.push(`  - ${x}`);
    return out.join('\n');
  }
  const out = ['', c.bold('What was beneath'), `  ${r.beneath}`];
  if (r.feelings.length) out.push(`  feelings: ${r.feelings.map((f) => f.id).join(', ')}`);
  if (r.needs.length) out.push(`  needs: ${r.needs.map((n) => n.id).join(', ')}`);
  if (r.startup) {
    out.push(
      '',
      c.bold(`A gentle start-up${r.who ? ` for ${r.who}` : ''}`),
      `  ${r.startup}`,
      c.dim('  Take it into a room (steady web app) or send it as it is; change any word that is not yours.'),
    );
  }
  return out.join('\n');
}
