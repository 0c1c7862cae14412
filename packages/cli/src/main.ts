// steady: the command-line front end. Reads text from an argument or standard input, prints a
// linter-style reading for people, or JSON / JSON lines for programs (see CONTRACT.md).

import { readFileSync, existsSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import {
  check,
  hear,
  soften,
  InputError,
  RELATIONSHIPS,
  VERSION,
  type Options,
  type Relationship,
  type SoftenOptions,
} from '@steady/engine';
import { renderCheck, renderHear, renderSoften } from './render.js';
import { palette } from './style.js';
import { readBounded, quietPipes } from './pipes.js';
import { visible } from './visible.js';

const HELP = `steady ${VERSION}: hear what is beneath the words, check a reply before it is sent.

Usage
  steady hear [text]            read a painful message: cues, feelings, needs, what's beneath, replies
  steady check [reply] --to MSG find defensive and steady moves in a draft reply, and a steadiness score
  steady soften [text]          say a painful message as a gentle start-up instead of blame
                                (--relationship partner|parent_child|family|friends|coworkers fits the wording)
  steady train --data DIR       train the shippable models (GoEmotions, AnnoMI, safety) into --out DIR
                                (--task safety needs no --data: it reads corpus/safety)
  steady eval --data DIR        score every task on its test split; --task NAME, --json, --write DIR
  steady practice               rehearse on a scenario: reply, get feedback, see how they answer
         --scenario ID | --random   start one (else pick from a menu); --relationship couple|parent_teen|
                                    friends|coworkers|therapist_client narrows the choice
         --list [--json]            the scenarios ({id, title, relationship} with --json)
  steady serve                  the stateless analysis API (POST /v1/hear|check|soften, /openapi.json)
         --port N (8787) --host H (127.0.0.1) --workers N (one per core) --rate N (requests/min/IP, 0 off)
  steady prune --data DIR       delete rooms idle longer than --older-than (default 30d) from a room server's
                                database (DIR/steady.db; or --db FILE|postgres://...)
  steady practice progress      steadiness over time, the defensive moves you lean on (--json)
  steady practice export        your attempts as JSON (--out FILE); delete [--scenario ID] [--yes]
                                attempts live in a SQLite file in your data directory (STEADY_HOME, --db FILE)

Text comes from the argument, or from standard input when none is given.

Options
  --json         one JSON object (CONTRACT.md)
  --jsonl        one input per line, one JSON result per line, streamed
                 (check reads {"reply": "...", "to": "..."} objects; hear and soften read plain lines
                  or {"text": "..."} objects)
  --to MSG       (check) the message the reply answers
  --strict       (check) exit 1 when any defensive move is found
  --ignore IDS   comma-separated cue, move or rule ids to silence (also "ignore" in .steadyrc.json)
  --config FILE  read options from FILE instead of ./.steadyrc.json
  --rules-only   use the reviewed rules alone, without the learned models
  -h, --help     this help
  -v, --version  the version

Exit status: 0 fine, 1 defensive moves with --strict, 2 bad usage or bad input.`;

const err = palette(process.stderr);

class UsageError extends Error {}

interface Config extends Options {}

function loadConfig(path: string | undefined): Config {
  const file = path ?? '.steadyrc.json';
  if (!existsSync(file)) {
    if (path) throw new UsageError(`config file not found: ${path}`);
    return {};
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(file, 'utf8'));
  } catch (e) {
    throw new UsageError(`config file ${file} is not valid JSON: ${(e as Error).message}`);
  }
  if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed))
    throw new UsageError(`config file ${file} must hold a JSON object`);
  const c = parsed as Record<string, unknown>;
  const list = (k: string): string[] | undefined => {
    if (c[k] === undefined) return undefined;
    if (!Array.isArray(c[k]) || !(c[k] as unknown[]).every((x) => typeof x === 'string'))
      throw new UsageError(`"${k}" in ${file} must be a list of strings`);
    return c[k] as string[];
  };
  return { ignore: list('ignore'), resources: list('resources') };
}

async function readStdin(): Promise<string> {
  if (process.stdin.isTTY) throw new UsageError('no text given: pass it as an argument or pipe it in');
  const buf = await readBounded(process.stdin);
  if (buf.includes(0)) throw new InputError('input looks binary (it contains NUL bytes); give text');
  return buf.toString('utf8');
}

type Lens = 'hear' | 'check' | 'soften';

function lineInput(lens: Lens, line: string): { text: string; to?: string } {
  const trimmed = line.trim();
  if (lens === 'check' || trimmed.startsWith('{')) {
    let obj: unknown;
    try {
      obj = JSON.parse(trimmed);
    } catch {
      throw new InputError(
        lens === 'check' ? 'not a JSON object like {"reply": "...", "to": "..."}' : 'invalid JSON',
      );
    }
    if (!obj || typeof obj !== 'object' || Array.isArray(obj)) throw new InputError('expected a JSON object');
    const o = obj as Record<string, unknown>;
    const text = lens === 'check' ? (o.reply ?? o.text) : (o.text ?? o.message);
    if (typeof text !== 'string')
      throw new InputError(lens === 'check' ? '"reply" must be a string' : '"text" must be a string');
    if (o.to !== undefined && o.to !== null && typeof o.to !== 'string')
      throw new InputError('"to" must be a string');
    return { text, to: (o.to as string | null | undefined) ?? undefined };
  }
  return { text: line };
}

function run(lens: Lens, text: string, to: string | undefined, opts: Options) {
  if (lens === 'hear') return hear(text, opts);
  if (lens === 'soften') return soften(text, opts);
  return check(text, { ...opts, to });
}

async function streamLines(lens: Lens, opts: Options): Promise<number> {
  const rl = createInterface({ input: process.stdin, crlfDelay: Infinity });
  let n = 0;
  let bad = 0;
  for await (const line of rl) {
    n++;
    if (line.trim() === '') continue;
    try {
      const { text, to } = lineInput(lens, line);
      const result = run(lens, text, to, opts);
      // honour back-pressure so memory stays flat however long the stream
      if (!process.stdout.write(`${JSON.stringify(result)}\n`))
        await new Promise((r) => process.stdout.once('drain', r));
    } catch (e) {
      if (!(e instanceof InputError)) throw e;
      bad++;
      process.stderr.write(`${err.red('steady:')} line ${n}: ${e.message}\n`);
    }
  }
  return bad ? 2 : 0;
}

export async function main(argv: string[]): Promise<number> {
  quietPipes();
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        json: { type: 'boolean' },
        jsonl: { type: 'boolean' },
        to: { type: 'string' },
        strict: { type: 'boolean' },
        ignore: { type: 'string' },
        config: { type: 'string' },
        'rules-only': { type: 'boolean' },
        data: { type: 'string' },
        out: { type: 'string' },
        task: { type: 'string' },
        write: { type: 'string' },
        list: { type: 'boolean' },
        relationship: { type: 'string' },
        scenario: { type: 'string' },
        random: { type: 'boolean' },
        db: { type: 'string' },
        yes: { type: 'boolean' },
        freeze: { type: 'boolean' },
        port: { type: 'string' },
        host: { type: 'string' },
        workers: { type: 'string' },
        rate: { type: 'string' },
        'older-than': { type: 'string' },
        help: { type: 'boolean', short: 'h' },
        version: { type: 'boolean', short: 'v' },
      },
    });
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
  const { values, positionals } = parsed;
  if (values.version) {
    process.stdout.write(`${VERSION}\n`);
    return 0;
  }
  const [command, ...rest] = positionals;
  if (values.help || !command || command === 'help') {
    process.stdout.write(`${HELP}\n`);
    return command || values.help ? 0 : 2;
  }
  if (command === 'train' || command === 'eval') {
    const learn = await import('./learn.js');
    try {
      return command === 'train' ? await learn.trainCommand(values) : await learn.evalCommand(values);
    } catch (e) {
      if (e instanceof learn.LearnUsageError) throw new UsageError(e.message);
      throw e;
    }
  }
  if (command === 'serve') {
    const { serve, cores } = await import('@steady/api');
    const int = (v: string | undefined, name: string, dflt: number, min: number) => {
      if (v === undefined) return dflt;
      if (!/^\d+$/.test(v) || Number(v) < min)
        throw new UsageError(`--${name} must be a whole number of at least ${min}`);
      return Number(v);
    };
    await serve({
      port: int(values.port ?? process.env.PORT, 'port', 8787, 0),
      host: values.host ?? '127.0.0.1',
      workers: int(values.workers, 'workers', cores(), 1),
      perMinute: int(values.rate, 'rate', 1200, 0),
    });
    return new Promise<number>(() => {}); // runs until a signal
  }
  if (command === 'prune') {
    const p = await import('./prune.js');
    return p.pruneCommand(values).catch((e) => {
      throw e instanceof p.PruneUsageError ? new UsageError(e.message) : e;
    });
  }
  if (command === 'practice') {
    const practice = await import('./practice.js');
    if (rest.length > 1) throw new UsageError(`practice takes one subcommand, got: ${rest.join(' ')}`);
    const config = loadConfig(values.config);
    try {
      return await practice.practiceCommand(rest[0], values, {
        ignore: config.ignore,
        resources: config.resources,
        models: values['rules-only'] ? false : undefined,
      });
    } catch (e) {
      if (e instanceof practice.PracticeUsageError) throw new UsageError(e.message);
      throw e;
    }
  }
  if (command !== 'hear' && command !== 'check' && command !== 'soften')
    throw new UsageError(`unknown command "${command}" (try steady --help)`);
  if (values.to !== undefined && command !== 'check') throw new UsageError('--to goes with check');
  if (values.strict && command !== 'check') throw new UsageError('--strict goes with check');
  if (values.json && values.jsonl) throw new UsageError('choose --json or --jsonl, not both');

  if (values.relationship !== undefined && command !== 'soften')
    throw new UsageError('--relationship goes with soften (or practice)');
  if (
    values.relationship !== undefined &&
    !(RELATIONSHIPS as readonly string[]).includes(values.relationship)
  ) {
    throw new UsageError(`--relationship must be one of ${RELATIONSHIPS.join(', ')}`);
  }
  const config = loadConfig(values.config);
  const opts: SoftenOptions = {
    ...(values.relationship ? { relationship: values.relationship as Relationship } : {}),
    ignore: [
      ...(config.ignore ?? []),
      ...(values.ignore
        ? values.ignore
            .split(',')
            .map((s) => s.trim())
            .filter(Boolean)
        : []),
    ],
    resources: config.resources,
    models: values['rules-only'] ? false : undefined,
  };
  if (values.jsonl) {
    if (rest.length) throw new UsageError('--jsonl reads standard input; give no text argument');
    return streamLines(command, opts);
  }
  const text = rest.length ? rest.join(' ') : await readStdin();
  const result = run(command, text, values.to, opts);
  if (values.json) process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
  else if (command === 'hear') process.stdout.write(`${renderHear(result as ReturnType<typeof hear>)}\n`);
  else if (command === 'soften')
    process.stdout.write(`${renderSoften(result as ReturnType<typeof soften>)}\n`);
  else process.stdout.write(`${renderCheck(result as ReturnType<typeof check>)}\n`);
  if (
    command === 'check' &&
    values.strict &&
    (result as ReturnType<typeof check>).moves.some((m) => m.kind === 'defensive')
  )
    return 1;
  return 0;
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (e: unknown) => {
    if (e instanceof UsageError || e instanceof InputError) {
      process.stderr.write(`${err.red('steady:')} ${visible((e as Error).message)}\n`);
      process.exitCode = 2;
    } else {
      process.stderr.write(`${err.red('steady: internal error:')} ${(e as Error)?.stack ?? e}\n`);
      process.exitCode = 70;
    }
  },
);
