// steady practice driven through standard input, as a script or a test would: a real process, a real
// SQLite file in a throwaway data directory.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { scenario } from '@steady/practice';

const bin = fileURLToPath(new URL('../bin/steady.js', import.meta.url));
const home = mkdtempSync(join(tmpdir(), 'steady-practice-'));
after(() => rmSync(home, { recursive: true, force: true }));
const run = (args: string[], input = '') => {
  const r = spawnSync(process.execPath, [bin, ...args], {
    input,
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '1', STEADY_HOME: home },
  });
  return { code: r.status, out: r.stdout, err: r.stderr };
};
const invisible = scenario('invisible')!;

describe('steady practice', () => {
  it('--list --json prints every scenario as {id, title, relationship}', () => {
    const r = run(['practice', '--list', '--json']);
    assert.equal(r.code, 0, r.err);
    const list = JSON.parse(r.out) as Record<string, string>[];
    assert.ok(list.length >= 60);
    for (const x of list) assert.deepEqual(Object.keys(x), ['id', 'title', 'relationship']);
    const teens = JSON.parse(run(['practice', '--list', '--json', '--relationship', 'parent_teen']).out) as {
      relationship: string;
    }[];
    assert.ok(teens.length > 0 && teens.every((x) => x.relationship === 'parent_teen'));
    assert.equal(run(['practice', '--list', '--relationship', 'cousins']).code, 2);
  });

  it('plays a scenario from piped replies: a defensive reply escalates, feedback on each, the end, stored', () => {
    const replies = [
      "I was only trying to help, you're overreacting.",
      'Whatever.',
      "It sounds like you've felt alone, and I haven't been there. Tell me more?",
      "Yes, let's do that. Thank you for telling me.",
    ];
    const r = run(['practice', '--scenario', 'invisible'], `${replies.join('\n')}\n`);
    assert.equal(r.code, 0, r.err);
    // the escalation branch, then the withdrawal, then the steady branch and its close
    const order = [
      invisible.opening.say,
      invisible.turns[0]!.defensive.say,
      invisible.turns[1]!.defensive.say,
      invisible.turns[2]!.steady.say,
      invisible.close.steady,
    ];
    let at = 0;
    for (const line of order) {
      const i = r.out.indexOf(line, at);
      assert.ok(i >= at, `missing or out of order: ${line}`);
      at = i;
    }
    assert.match(r.out, /justify/);
    assert.match(r.out, /they push harder/);
    assert.match(r.out, /they pull away/);
    assert.match(r.out, /they open up/);
    assert.ok(r.out.includes(`A reply    ${invisible.opening.model}`));
    assert.ok(r.out.includes(`Beneath    ${invisible.opening.beneath}`));
    assert.match(r.out, /Conversation done\. 4 replies/);
    const db = new Database(join(home, 'practice.db'), { readonly: true });
    const rows = db.prepare('SELECT step, branch, steadiness FROM attempts ORDER BY at, rowid').all() as {
      step: number;
      branch: string;
      steadiness: number;
    }[];
    db.close();
    assert.deepEqual(
      rows.map((x) => x.branch),
      ['defensive', 'defensive', 'steady', 'steady'],
    );
    assert.deepEqual(
      rows.map((x) => x.step),
      [1, 2, 3, 4],
    );
    if (process.platform !== 'win32') assert.equal(statSync(join(home, 'practice.db')).mode & 0o777, 0o600);
  });

  it('a menu pick by number, /hint, and input ending mid-way keeps what was answered', () => {
    const r = run(
      ['practice', '--relationship', 'therapist_client'],
      '1\n/hint\nThat is not true, I am listening.\n',
    );
    assert.equal(r.code, 0, r.err);
    assert.match(r.out, /Pick a scenario/);
    assert.match(r.out, /Beneath:/);
    assert.match(r.out, /correct/);
    assert.match(r.out, /Stopped\. 1 reply/);
  });

  it('progress shows steadiness over time and the moves leaned on; export and delete', () => {
    const p = JSON.parse(run(['practice', 'progress', '--json']).out);
    assert.equal(p.attempts, 5);
    assert.equal(p.finished, 1);
    assert.equal(p.series.length, 5);
    assert.ok(['justify', 'minimize', 'withdraw', 'correct'].includes(p.leanOn[0].id));
    const human = run(['practice', 'progress']);
    assert.match(human.out, /5 replies in 2 scenarios, 1 finished/);
    assert.match(human.out, /The defensive moves you lean on/);
    assert.match(human.out, /100 │/);

    const out = join(home, 'export.json');
    assert.equal(run(['practice', 'export', '--out', out]).code, 0);
    const exported = JSON.parse(readFileSync(out, 'utf8'));
    assert.equal(exported.attempts.length, 5);
    assert.equal(exported.attempts[0].reply, "I was only trying to help, you're overreacting.");

    const refused = run(['practice', 'delete']);
    assert.equal(refused.code, 2);
    assert.match(refused.err, /--yes/);
    assert.equal(
      JSON.parse(run(['practice', 'progress', '--json']).out).attempts,
      5,
      'nothing deleted without confirmation',
    );
    assert.match(run(['practice', 'delete', '--scenario', 'invisible', '--yes']).out, /Deleted 4 attempts/);
    assert.match(run(['practice', 'delete', '--yes']).out, /Deleted 1 attempt\./);
    assert.equal(JSON.parse(run(['practice', 'progress', '--json']).out).attempts, 0);
    assert.ok(existsSync(join(home, 'practice.db')));
  });

  it('bad use gets a clear error', () => {
    assert.match(run(['practice', '--scenario', 'nope']).err, /no scenario "nope"/);
    assert.equal(run(['practice', '--scenario', 'nope']).code, 2);
    assert.equal(run(['practice', '--scenario', 'invisible', '--random']).code, 2);
    assert.equal(run(['practice', 'sideways']).code, 2);
  });
});
