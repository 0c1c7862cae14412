// steady practice: rehearse the stance in the terminal. Interactive on a TTY; the same dialogue
// reads piped standard input line by line, so it can be scripted and tested.
import { writeFileSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import { createInterface } from 'node:readline';
import { check, hear, type Options } from '@steady/engine';
import {
  RELATIONSHIPS,
  RELATIONSHIP_NAMES,
  attemptOf,
  listing,
  progress,
  respond,
  scenario as byId,
  scenarios,
  start,
  stepsOf,
  suggest,
  type Feedback,
  type Relationship,
  type Scenario,
} from '@steady/practice';
import { Attempts } from './attempts.js';
import { bar, renderCheck } from './render.js';
import { palette } from './style.js';

export class PracticeUsageError extends Error {}

export interface PracticeValues {
  list?: boolean;
  json?: boolean;
  relationship?: string;
  scenario?: string;
  random?: boolean;
  db?: string;
  yes?: boolean;
  out?: string;
}

const p = palette();
const say = (s = '') => process.stdout.write(`${s}\n`);

function relationshipOf(v: string | undefined): Relationship | undefined {
  if (v === undefined) return undefined;
  if (!RELATIONSHIPS.includes(v as Relationship))
    throw new PracticeUsageError(`--relationship must be one of ${RELATIONSHIPS.join(', ')}`);
  return v as Relationship;
}

/** Lines from standard input, one at a time, with a prompt when a person is typing. */
function lineReader() {
  const tty = Boolean(process.stdin.isTTY);
  const rl = createInterface({
    input: process.stdin,
    output: tty ? process.stdout : undefined,
    terminal: tty,
  });
  const it = rl[Symbol.asyncIterator]();
  return {
    async ask(prompt: string): Promise<string | null> {
      process.stdout.write(prompt);
      const r = await it.next();
      if (r.done) {
        say();
        return null;
      }
      if (!tty) say(r.value); // piped: echo, so the transcript reads like the session it was
      return r.value;
    },
    close: () => rl.close(),
  };
}

export async function practiceCommand(
  sub: string | undefined,
  v: PracticeValues,
  opts: Options,
): Promise<number> {
  const relationship = relationshipOf(v.relationship);
  if (v.list) {
    const items = listing({ relationship });
    if (v.json) say(JSON.stringify(items));
    else
      for (const r of RELATIONSHIPS.filter((r) => !relationship || r === relationship)) {
        say(p.bold(RELATIONSHIP_NAMES[r]));
        for (const s of items.filter((s) => s.relationship === r))
          say(`  ${p.cyan(s.id.padEnd(24))} ${s.title}`);
      }
    return 0;
  }
  const store = new Attempts(v.db);
  try {
    if (sub === 'progress') return showProgress(store, v.json);
    if (sub === 'export') return exportAttempts(store, v.out);
    if (sub === 'delete') return await deleteAttempts(store, v);
    if (sub !== undefined)
      throw new PracticeUsageError(`unknown practice command "${sub}" (progress, export, delete)`);
    return await session(store, v, relationship, opts);
  } finally {
    store.close();
  }
}

async function session(
  store: Attempts,
  v: PracticeValues,
  relationship: Relationship | undefined,
  opts: Options,
): Promise<number> {
  if (v.scenario && v.random) throw new PracticeUsageError('choose --scenario or --random, not both');
  const pool = scenarios.filter((s) => !relationship || s.relationship === relationship);
  const input = lineReader();
  try {
    let s: Scenario | undefined;
    if (v.scenario) {
      s = byId(v.scenario);
      if (!s) throw new PracticeUsageError(`no scenario "${v.scenario}" (see steady practice --list)`);
    } else if (v.random) s = suggest(pool, store.all());
    else {
      pool.forEach((x, i) =>
        say(
          `${p.dim(String(i + 1).padStart(3))}  ${x.title} ${p.dim(`(${RELATIONSHIP_NAMES[x.relationship].toLowerCase()})`)}`,
        ),
      );
      while (!s) {
        const pick = await input.ask(
          `${p.bold('Pick a scenario')} (number or id; Enter for one you haven't tried): `,
        );
        if (pick === null) return 0;
        const t = pick.trim();
        s = t === '' ? suggest(pool, store.all()) : /^\d+$/.test(t) ? pool[Number(t) - 1] : byId(t);
        if (!s) say(p.yellow(`No scenario "${t}". Give a number from 1 to ${pool.length} or an id.`));
      }
    }
    return await play(store, s, input, opts);
  } finally {
    input.close();
  }
}

async function play(
  store: Attempts,
  s: Scenario,
  input: ReturnType<typeof lineReader>,
  opts: Options,
): Promise<number> {
  say();
  say(`${p.bold(s.title)}  ${p.dim(`${RELATIONSHIP_NAMES[s.relationship]} · ${stepsOf(s)} replies`)}`);
  say(p.dim(s.context));
  say(
    p.dim(
      'Write your reply and press Enter. /hint reads the message for you, /quit stops (what you answered is kept).',
    ),
  );
  let session = start(s);
  const scores: number[] = [];
  say();
  say(`${p.magenta('They:')} ${session.transcript[0]!.text}`);
  while (!session.done) {
    const line = await input.ask(`${p.cyan('You:')}  `);
    if (line === null || line.trim() === '/quit') break;
    const reply = line.trim();
    if (!reply) continue;
    const message = session.transcript.at(-1)!.text;
    if (reply === '/hint') {
      const h = hear(message, opts);
      say(p.dim(`  Beneath: ${h.beneath}`));
      say(p.dim(`  Avoid hearing it as “${h.misreading}”. Start from: ${h.replies[0] ?? ''}`));
      continue;
    }
    const step = respond(s, session, reply, check(reply, { ...opts, to: message }));
    session = step.session;
    store.add(attemptOf(session, step.feedback, new Date(), randomUUID()));
    scores.push(step.feedback.steadiness);
    say(renderFeedback(step.feedback));
    say();
    say(`${p.magenta('They:')} ${step.feedback.next}`);
  }
  say();
  if (scores.length) {
    const mean = Math.round(scores.reduce((a, b) => a + b, 0) / scores.length);
    say(
      `${p.bold(session.done ? 'Conversation done.' : 'Stopped.')} ${scores.length} ${scores.length === 1 ? 'reply' : 'replies'}, mean steadiness ${colourOf(mean)(String(mean))}/100. Saved to ${p.dim(store.file)}.`,
    );
    say(p.dim('See your progress: steady practice progress'));
  }
  return 0;
}

const colourOf = (n: number) => (n >= 70 ? p.green : n >= 40 ? p.yellow : p.red);

function renderFeedback(f: Feedback): string {
  const out = [''];
  out.push(
    renderCheck(
      {
        text: f.reply,
        moves: f.moves,
        steadiness: f.steadiness,
        pause: f.pause,
        suggestion: f.model,
        heat: 0,
      },
      { suggest: false },
    ),
  );
  out.push(`${p.bold('Beneath')}    ${f.beneath}`);
  out.push(`${p.bold('A reply')}    ${p.green(f.model)}`);
  const how =
    f.branch === 'steady'
      ? p.green('they open up')
      : f.reaction === 'withdraw'
        ? p.yellow('they pull away')
        : f.reaction === 'escalate'
          ? p.red('they push harder')
          : p.yellow('they close');
  out.push(`${p.bold('So')}         ${how}: ${p.dim(f.reason)}`);
  return out.join('\n');
}

function showProgress(store: Attempts, json?: boolean): number {
  const pr = progress(store.all(), scenarios);
  if (json) {
    say(JSON.stringify(pr, null, 2));
    return 0;
  }
  if (!pr.attempts) {
    say('No practice yet. Start with: steady practice');
    return 0;
  }
  const n = (k: number, one: string, many: string) => `${k} ${k === 1 ? one : many}`;
  say(
    `${p.bold('Practice')}  ${n(pr.attempts, 'reply', 'replies')} in ${n(pr.scenarios, 'scenario', 'scenarios')}, ${pr.finished} finished`,
  );
  say(
    `${p.bold('Steadiness')} mean ${colourOf(pr.mean!)(String(pr.mean))}   ${
      pr.trend
        ? `first ${pr.trend.window} ${pr.trend.first} → last ${pr.trend.window} ${colourOf(pr.trend.last)(String(pr.trend.last))}`
        : 'a trend shows from 4 replies'
    }`,
  );
  say();
  say(chart(pr.series.map((x) => x.steadiness)));
  say();
  if (pr.leanOn.length) {
    say(p.bold('The defensive moves you lean on'));
    const top = pr.leanOn[0]!.count;
    for (const m of pr.leanOn.slice(0, 6))
      say(`  ${p.red(m.label.padEnd(26))} ${bar(m.count / top, 16)} ${m.count}`);
  } else say(p.green('No defensive moves so far.'));
  if (pr.steadyMoves.length)
    say(
      `${p.bold('Steady moves you use')}  ${pr.steadyMoves
        .slice(0, 6)
        .map((m) => `${m.label} ${p.dim(String(m.count))}`)
        .join(', ')}`,
    );
  return 0;
}

/** Steadiness per reply as a column chart, 0..100, the latest 60 replies. */
export function chart(values: number[], height = 6): string {
  const shown = values.slice(-60);
  const w = shown.length <= 20 ? 2 : 1; // few replies: wider columns read better
  const blocks = ' ▁▂▃▄▅▆▇█';
  const rows: string[] = [];
  for (let r = height - 1; r >= 0; r--) {
    const label = r === height - 1 ? '100 ' : r === 0 ? '  0 ' : '    ';
    let row = '';
    for (const v of shown) {
      const level = (v / 100) * height - r; // how much of this row the column fills
      const ch = level >= 1 ? '█' : level <= 0 ? ' ' : blocks[Math.max(1, Math.round(level * 8))]!;
      row += colourOf(v)(ch.repeat(w));
    }
    rows.push(p.dim(`${label}│`) + row);
  }
  rows.push(p.dim(`    └${'─'.repeat(shown.length * w)}`));
  rows.push(
    p.dim(
      `     steadiness per reply, oldest → newest${values.length > shown.length ? ` (last ${shown.length} of ${values.length})` : ''}`,
    ),
  );
  return rows.join('\n');
}

function exportAttempts(store: Attempts, out?: string): number {
  const body = `${JSON.stringify({ exported: new Date().toISOString(), attempts: store.all() }, null, 2)}\n`;
  if (out) {
    writeFileSync(out, body, { mode: 0o600 });
    process.stderr.write(`Wrote ${out}\n`);
  } else process.stdout.write(body);
  return 0;
}

async function deleteAttempts(store: Attempts, v: PracticeValues): Promise<number> {
  if (v.scenario && !byId(v.scenario)) throw new PracticeUsageError(`no scenario "${v.scenario}"`);
  const what = v.scenario ? `your attempts at "${v.scenario}"` : 'all your practice attempts';
  if (!v.yes) {
    if (!process.stdin.isTTY)
      throw new PracticeUsageError(`this deletes ${what} for good; add --yes to confirm`);
    const input = lineReader();
    const answer = await input.ask(`Delete ${what} for good? Type "delete" to confirm: `);
    input.close();
    if (answer?.trim() !== 'delete') {
      say('Nothing deleted.');
      return 0;
    }
  }
  const n = store.delete(v.scenario);
  say(`Deleted ${n} ${n === 1 ? 'attempt' : 'attempts'}.`);
  return 0;
}
