// The CLI as a user meets it: a real process, real pipes, real exit codes.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';

const bin = fileURLToPath(new URL('../bin/steady.js', import.meta.url));
const run = (args: string[], input?: string) => {
  const r = spawnSync(process.execPath, [bin, ...args], {
    input,
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '1' },
  });
  return { code: r.status, out: r.stdout, err: r.stderr };
};

describe('steady CLI', () => {
  it('hear --json prints the contract object', () => {
    const r = run(['hear', "You're never really here. I feel invisible.", '--json']);
    assert.equal(r.code, 0, r.err);
    const o = JSON.parse(r.out);
    assert.equal(o.misreading, "You're saying I did something wrong.");
    assert.ok(o.cues.some((c: { id: string }) => c.id === 'faux_feeling'));
  });
  it('check reads standard input, and --strict exits 1 on defensive moves', () => {
    const r = run(
      ['check', '--json', '--to', 'You never listen to me.'],
      "I was only trying to help, you're overreacting.",
    );
    assert.equal(r.code, 0);
    assert.deepEqual(
      JSON.parse(r.out).moves.map((m: { id: string }) => m.id),
      ['justify', 'minimize'],
    );
    assert.equal(run(['check', '--strict', "You're overreacting."]).code, 1);
    assert.equal(run(['check', '--strict', 'I hear you. Tell me more.']).code, 0);
  });
  it('human output underlines spans and says what to do instead', () => {
    const r = run(['check', "You're overreacting."]);
    assert.match(r.out, /minimize/);
    assert.match(r.out, /\^{19}/);
    assert.match(r.out, /instead:/);
    assert.match(r.out, /Steadiness/);
  });
  it('--jsonl streams one result per line, reports bad lines by number and goes on', () => {
    const input = [
      '{"reply":"Whatever."}',
      'not json',
      '',
      '{"reply": 5}',
      '{"reply":"I hear you.","to":"You never listen"}',
    ].join('\n');
    const r = run(['check', '--jsonl'], input);
    const outs = r.out
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    assert.equal(outs.length, 2);
    assert.equal(outs[0].moves[0].id, 'withdraw');
    assert.match(r.err, /line 2:/);
    assert.match(r.err, /line 4:/);
    assert.equal(r.code, 2);
    const h = run(['hear', '--jsonl'], 'I feel invisible.\n{"text":"I feel scared."}\n');
    assert.deepEqual(
      h.out
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l).misreading),
      ["You're saying I did something wrong.", "You don't trust me."],
    );
    assert.equal(h.code, 0);
  });
  it('soften --json gives the gentle start-up', () => {
    const r = run(['soften', "You never listen to me, you're always on your phone.", '--json']);
    assert.equal(r.code, 0);
    assert.match(JSON.parse(r.out).softened, /^When you're on your phone/);
  });
  it('bad usage and bad input exit 2 with a clear message', () => {
    for (const args of [['hear', ''], ['frobnicate'], ['hear', '--to', 'x', 'hi'], ['hear', '--nope', 'x']]) {
      const r = run(args);
      assert.equal(r.code, 2, args.join(' '));
      assert.match(r.err, /^steady: /);
    }
    const bin = run(['hear'], 'abc\u0000def');
    assert.equal(bin.code, 2);
    assert.match(bin.err, /binary/);
  });
  it('--help, per-command help and --version', () => {
    const help = run(['--help']);
    assert.equal(help.code, 0);
    for (const c of ['hear', 'check', 'soften', 'practice', 'serve'])
      assert.match(help.out, new RegExp(`\\n  ${c} `));
    assert.match(help.out, /docs\/contract\.md/);
    const serve = run(['serve', '--help']);
    assert.equal(serve.code, 0);
    assert.match(serve.out, /--port <n>/);
    assert.doesNotMatch(serve.out, /--strict/); // check's options are not serve's
    assert.match(run(['check', '--help']).out, /--strict/);
    assert.match(run(['--version']).out, /^\d+\.\d+\.\d+/);
  });
  it('answers unknown options, commands and ignore ids in its own words, with exit 2', () => {
    const opt = run(['hear', '--bogus', 'x']);
    assert.equal(opt.code, 2);
    assert.equal(opt.err, 'steady: unknown option --bogus (see steady --help, or steady <command> --help)\n');
    const cmd = run(['heer', 'x']);
    assert.equal(cmd.code, 2);
    assert.match(cmd.err, /^steady: unknown command "heer"/);
    const ignore = run(['check', 'fine, whatever', '--ignore', 'minimize,nope']);
    assert.equal(ignore.code, 2);
    assert.match(ignore.err, /unknown id to ignore: nope/);
    // a known move id and a rule name are both accepted
    assert.equal(run(['check', 'fine, whatever', '--ignore', 'minimize', '--json']).code, 0);
    assert.equal(run(['serve', '--port', 'x']).code, 2);
  });
  it('soften fits its wording to --relationship, and refuses one it does not know', () => {
    const text = "you're never home anymore";
    const partner = JSON.parse(run(['soften', '--json', text]).out);
    const coworkers = JSON.parse(run(['soften', '--json', '--relationship', 'coworkers', text]).out);
    assert.equal(coworkers.relationship, 'coworkers');
    assert.notEqual(coworkers.parts.request, partner.parts.request);
    assert.doesNotMatch(coworkers.softened, /tonight, just the two of us/);
    assert.equal(run(['soften', '--relationship', 'boss', text]).code, 2);
    assert.equal(run(['hear', '--relationship', 'partner', text]).code, 2);
  });
  it('ignores ids from --ignore', () => {
    const r = run(['check', '--json', '--ignore', 'minimize', "You're overreacting."]);
    assert.deepEqual(JSON.parse(r.out).moves, []);
  });
});
