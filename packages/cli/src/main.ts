// steady: the command-line front end. Reads text from an argument or standard input, prints a
// linter-style reading for people, or JSON / JSON lines for programs (docs/contract.md).

import { existsSync, readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import {
  type CheckResult,
  type HearResult,
  InputError,
  type Lens,
  type LensOptions,
  RELATIONSHIPS,
  type Relationship,
  runLens,
  type SoftenResult,
  unknownIgnores,
  VERSION,
} from '@steady/engine';
import { Command, CommanderError, Option } from 'commander';
import { renderCheck, renderHear, renderSoften } from './render.js';
import { palette } from './style.js';
import { quietPipes, readBounded } from './pipes.js';
import { visible } from './visible.js';

const CONTRACT = 'docs/contract.md in the repository';
const err = palette(process.stderr);

class UsageError extends Error {}

function loadConfig(path: string | undefined): LensOptions {
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

/** The config file's ignore list and --ignore's, trimmed; an id no rule or lens knows is a usage error. */
function ignoreList(config: LensOptions, flag: string | undefined): string[] {
  const ids = [
    ...(config.ignore ?? []),
    ...(flag ?? '')
      .split(',')
      .map((x) => x.trim())
      .filter(Boolean),
  ];
  const unknown = unknownIgnores(ids);
  if (unknown.length)
    throw new UsageError(
      `unknown id to ignore: ${unknown.join(', ')} (the rules table lists them: docs/rules.md)`,
    );
  return ids;
}

async function readStdin(): Promise<string> {
  if (process.stdin.isTTY) throw new UsageError('no text given: pass it as an argument or pipe it in');
  const buf = await readBounded(process.stdin);
  if (buf.includes(0)) throw new InputError('input looks binary (it contains NUL bytes); give text');
  return buf.toString('utf8');
}

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

async function streamLines(lens: Lens, opts: LensOptions): Promise<number> {
  const rl = createInterface({ input: process.stdin, crlfDelay: Infinity });
  let n = 0;
  let bad = 0;
  for await (const line of rl) {
    n++;
    if (line.trim() === '') continue;
    try {
      const result = runLens(lens, lineInput(lens, line), opts);
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

interface LensFlags {
  json?: boolean;
  jsonl?: boolean;
  to?: string;
  strict?: boolean;
  ignore?: string;
  config?: string;
  rulesOnly?: boolean;
  relationship?: string;
}

async function lensCommand(lens: Lens, words: string[], f: LensFlags): Promise<number> {
  if (f.json && f.jsonl) throw new UsageError('choose --json or --jsonl, not both');
  const config = loadConfig(f.config);
  const ignore = ignoreList(config, f.ignore);
  const opts: LensOptions = {
    ...(f.relationship ? { relationship: f.relationship as Relationship } : {}),
    ignore,
    resources: config.resources,
    models: f.rulesOnly ? false : undefined,
  };
  // an unknown id is a usage mistake, caught before any text is read
  if (f.jsonl) {
    if (words.length) throw new UsageError('--jsonl reads standard input; give no text argument');
    runLens(lens, { text: 'ok' }, opts);
    return streamLines(lens, opts);
  }
  const text = words.length ? words.join(' ') : await readStdin();
  const result = runLens(lens, { text, to: f.to }, opts);
  if (f.json) process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
  else if (lens === 'hear') process.stdout.write(`${renderHear(result as HearResult)}\n`);
  else if (lens === 'soften') process.stdout.write(`${renderSoften(result as SoftenResult)}\n`);
  else process.stdout.write(`${renderCheck(result as CheckResult)}\n`);
  if (lens === 'check' && f.strict && (result as CheckResult).moves.some((m) => m.kind === 'defensive'))
    return 1;
  return 0;
}

const wholeNumber = (name: string, min: number) => (v: string) => {
  if (!/^\d+$/.test(v) || Number(v) < min)
    throw new UsageError(`--${name} must be a whole number of at least ${min}`);
  return Number(v);
};

/** The options every lens shares; each command adds its own. */
function lensOptions(c: Command): Command {
  return c
    .option('--json', `one JSON object (${CONTRACT})`)
    .option(
      '--jsonl',
      'one input per line on standard input, one JSON result per line, streamed (plain lines or {"text": ...})',
    )
    .option(
      '--ignore <ids>',
      'comma-separated cue, move or rule ids to silence (also "ignore" in .steadyrc.json)',
    )
    .option('--config <file>', 'read options from FILE instead of ./.steadyrc.json')
    .option('--rules-only', 'the reviewed rules alone, without the learned models');
}

export function program(done: (code: number) => void): Command {
  const p = new Command('steady')
    .description('hear what is beneath the words, check a reply before it is sent')
    .version(VERSION, '-v, --version', 'the version')
    .helpOption('-h, --help', 'this help')
    .helpCommand('help [command]', 'help for a command')
    .usage('<command> [options] [text]')
    .addHelpText(
      'after',
      `
Text comes from the argument, or from standard input when none is given.
The JSON fields and ids are described in ${CONTRACT}; each command has its own --help.
Exit status: 0 fine, 1 defensive moves with check --strict, 2 bad usage or bad input.`,
    );

  lensOptions(
    p
      .command('hear')
      .description("read a painful message: cues, feelings, needs, what's beneath, replies to start from")
      .argument('[text...]', 'the message (else standard input)'),
  ).action(async (words: string[], f: LensFlags) => done(await lensCommand('hear', words, f)));

  lensOptions(
    p
      .command('check')
      .description('find defensive and steady moves in a draft reply, and a steadiness score')
      .argument('[reply...]', 'the draft reply (else standard input; with --jsonl, {"reply", "to"} lines)')
      .option('--to <message>', 'the message the reply answers')
      .option('--strict', 'exit 1 when any defensive move is found'),
  ).action(async (words: string[], f: LensFlags) => done(await lensCommand('check', words, f)));

  lensOptions(
    p
      .command('soften')
      .description('say a painful message as a gentle start-up instead of blame')
      .argument('[text...]', 'the message (else standard input)')
      .addOption(
        new Option('--relationship <who>', 'who it is for: the wording fits it').choices([...RELATIONSHIPS]),
      ),
  ).action(async (words: string[], f: LensFlags) => done(await lensCommand('soften', words, f)));

  p.command('listen')
    .description(
      'be heard first: write what hurts a line at a time (or pipe it in); each line is said back; "not quite ..." corrects; "that\'s it" ends with what was beneath and a gentle start-up',
    )
    .option('--json', 'one object at the end: {turns, feelings, needs, startup, safety}')
    .option('--config <file>', 'read options from FILE instead of ./.steadyrc.json')
    .option('--rules-only', 'the reviewed rules alone, without the learned models')
    .argument('[text...]')
    .action(async (words: string[], f: { json?: boolean; config?: string; rulesOnly?: boolean }) => {
      if (words.length)
        throw new UsageError('listen reads standard input (type, or pipe a story in); give no text');
      const config = loadConfig(f.config);
      const { listenCommand } = await import('./listen.js');
      done(
        await listenCommand(f, {
          ignore: ignoreList(config, undefined),
          resources: config.resources,
          models: f.rulesOnly ? false : undefined,
        }),
      );
    });

  p.command('prune')
    .description("delete rooms idle longer than --older-than from a room server's database")
    .option('--data <dir>', "the room server's data folder (DIR/steady.db)")
    .option('--db <where>', 'the database instead: a SQLite file or postgres://…')
    .option('--older-than <age>', 'idle for longer than this (30d, 12h)', '30d')
    .option('--json', 'what was pruned, as JSON')
    .action(async (f: { data?: string; db?: string; olderThan?: string; json?: boolean }) => {
      const pr = await import('./prune.js');
      try {
        done(await pr.pruneCommand({ data: f.data, db: f.db, 'older-than': f.olderThan, json: f.json }));
      } catch (e) {
        throw e instanceof pr.PruneUsageError ? new UsageError(e.message) : e;
      }
    });

  p.command('train')
    .description('train the shippable models into --out (default packages/engine/models)')
    .option(
      '--data <dir>',
      'the public data folder (goemotions/, epitome/, ...); not needed for safety, moves, hear',
    )
    .option('--out <dir>', 'where the model artifacts go')
    .option('--task <name>', 'one task only')
    .option('--freeze', "freeze new corpus files' stratified test split (with --task safety|moves|hear)")
    .action(async (f) => done(await learnCommand('train', f)));

  p.command('eval')
    .description('score every task on its test split')
    .requiredOption('--data <dir>', 'the public data folder')
    .option('--task <name>', 'one task only')
    .option('--json', 'the figures as JSON')
    .option('--write <dir>', 'write the report pages and plots into DIR')
    .action(async (f) => done(await learnCommand('eval', f)));

  p.command('practice')
    .description('rehearse on a scenario: reply, get feedback, see how they answer')
    .argument('[sub]', 'progress (steadiness over time), export (your attempts as JSON) or delete')
    .option('--scenario <id>', 'start this scenario')
    .option('--random', 'start a random scenario')
    .option(
      '--relationship <who>',
      'couple|parent_teen|friends|coworkers|therapist_client narrows the choice',
    )
    .option('--list', 'the scenarios')
    .option('--json', 'JSON output (list, progress)')
    .option('--db <file>', 'the attempts file (default: a SQLite file in STEADY_HOME)')
    .option('--out <file>', 'export into FILE')
    .option('--yes', 'delete without asking')
    .option('--ignore <ids>', 'comma-separated move or rule ids to silence')
    .option('--config <file>', 'read options from FILE instead of ./.steadyrc.json')
    .option('--rules-only', 'the reviewed rules alone')
    .action(async (sub: string | undefined, f) => {
      const practice = await import('./practice.js');
      const config = loadConfig(f.config);
      try {
        done(
          await practice.practiceCommand(sub, f, {
            ignore: ignoreList(config, f.ignore),
            resources: config.resources,
            models: f.rulesOnly ? false : undefined,
          }),
        );
      } catch (e) {
        if (e instanceof practice.PracticeUsageError) throw new UsageError(e.message);
        throw e;
      }
    });

  p.command('serve')
    .description('the stateless analysis API (POST /v1/hear|check|soften, GET /openapi.json)')
    .option('--port <n>', 'the port (default $PORT or 8787)', wholeNumber('port', 0))
    .option('--host <h>', 'the address to listen on', '127.0.0.1')
    .option('--workers <n>', 'worker processes (default one per core)', wholeNumber('workers', 1))
    .option('--rate <n>', 'requests per minute per address, 0 for none', wholeNumber('rate', 0), 1200)
    .action(async (f: { port?: number; host: string; workers?: number; rate: number }) => {
      const { serve, cores } = await import('@steady/api');
      const envPort = process.env.PORT;
      await serve({
        port: f.port ?? (envPort !== undefined ? wholeNumber('port', 0)(envPort) : 8787),
        host: f.host,
        workers: f.workers ?? cores(),
        perMinute: f.rate,
      });
      // runs until a signal: `done` is never called
    });

  return p;
}

async function learnCommand(which: 'train' | 'eval', f: Record<string, unknown>): Promise<number> {
  const learn = await import('./learn.js');
  try {
    return which === 'train' ? await learn.trainCommand(f) : await learn.evalCommand(f);
  } catch (e) {
    if (e instanceof learn.LearnUsageError) throw new UsageError(e.message);
    throw e;
  }
}

/** Commander's own refusals, said in the project's words. */
function usageOf(e: CommanderError): string {
  const m = e.message.replace(/^error: /, '');
  if (e.code === 'commander.unknownOption') {
    const opt = /'([^']+)'/.exec(m)?.[1] ?? m;
    return `unknown option ${opt} (see steady --help, or steady <command> --help)`;
  }
  if (e.code === 'commander.unknownCommand') {
    const cmd = /'([^']+)'/.exec(m)?.[1] ?? m;
    return `unknown command "${cmd}" (try steady --help)`;
  }
  if (e.code === 'commander.excessArguments') return `too many arguments: ${m}`;
  return m;
}

export async function main(argv: string[]): Promise<number> {
  quietPipes();
  let code: number | undefined;
  const p = program((c) => {
    code = c;
  });
  p.exitOverride();
  p.configureOutput({ writeErr: () => {} }); // errors are written once, below, in our words
  for (const c of p.commands) {
    c.exitOverride();
    c.configureOutput({ writeErr: () => {} });
  }
  if (argv.length === 0) {
    p.outputHelp();
    return 2;
  }
  try {
    await p.parseAsync(argv, { from: 'user' });
  } catch (e) {
    if (e instanceof CommanderError) {
      if (
        e.code === 'commander.helpDisplayed' ||
        e.code === 'commander.version' ||
        e.code === 'commander.help'
      )
        return 0;
      const cause = (e as CommanderError & { cause?: unknown }).cause;
      if (cause instanceof UsageError) throw cause;
      throw new UsageError(usageOf(e));
    }
    throw e;
  }
  return code ?? 0;
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
