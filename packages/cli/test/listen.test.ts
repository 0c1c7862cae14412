// steady listen as a user meets it: a real process, a story piped in a line at a time, real exit codes.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { hear } from '@steady/engine';

const bin = fileURLToPath(new URL('../bin/steady.js', import.meta.url));
const run = (args: string[], input: string | Buffer) => {
  const r = spawnSync(process.execPath, [bin, 'listen', ...args], {
    input,
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '1' },
  });
  return { code: r.status, out: r.stdout, err: r.stderr };
};

interface Out {
  turns: { text: string; reflection: string; correction?: boolean }[];
  feelings: { id: string; score: number }[];
  needs: { id: string; score: number }[];
  startup: string | null;
  safety: { id: string; resources: string[] } | null;
}

describe('steady listen', () => {
  it('a piped session with a correction: --json prints the contract object at the end', () => {
    const r = run(
      ['--json'],
      [
        'my sister keeps joking about my weight at dinner',
        '',
        'not quite, I felt humiliated',
        'she did it again in front of everyone',
        "That's it.",
        'this line comes after the end and is not read',
      ].join('\n'),
    );
    assert.equal(r.code, 0, r.err);
    assert.equal(r.err, '', 'piped --json prints nothing but the object');
    const o = JSON.parse(r.out) as Out;
    assert.deepEqual(Object.keys(o).slice(0, 5), ['turns', 'feelings', 'needs', 'startup', 'safety']);
    assert.deepEqual(
      o.turns.map((t) => t.text),
      [
        'my sister keeps joking about my weight at dinner',
        'I felt humiliated',
        'she did it again in front of everyone',
      ],
    );
    assert.equal(o.turns[1]!.correction, true);
    assert.match(o.turns[0]!.reflection, /your sister keeps joking about your weight at dinner/);
    assert.match(o.turns[1]!.reflection, /humiliated/);
    assert.match(o.turns[2]!.reflection, /your sister did it in front of everyone/);
    for (const t of o.turns) assert.match(t.reflection, /\?$/);
    assert.equal(o.feelings[0]!.id, 'ashamed');
    assert.ok(o.needs.length > 0);
    assert.equal(o.safety, null);
    assert.match(
      o.startup!,
      /^When you keep joking about my weight at dinner, I feel humiliated, because I need/,
    );
    assert.deepEqual(
      hear(o.startup!).cues.filter((c) => c.id !== 'you_statement'),
      [],
      'no blame cue in the start-up',
    );
    // scores sorted, highest first, as in every lens
    for (const list of [o.feelings, o.needs])
      for (let i = 1; i < list.length; i++) assert.ok(list[i - 1]!.score >= list[i]!.score);
  });

  it('"thats it" in any case and punctuation finishes, and so does the end of input', () => {
    for (const end of ['thats it', 'THAT IS IT!', "that's it."]) {
      const o = JSON.parse(run(['--json'], `Sam forgot my birthday\n${end}\nmore`).out) as Out;
      assert.equal(o.turns.length, 1, end);
    }
    const o = JSON.parse(run(['--json'], 'Sam forgot my birthday\nI felt so alone').out) as Out;
    assert.equal(o.turns.length, 2);
    assert.match(o.startup!, /^When you forgot my birthday, I felt/);
  });

  it('human output says each reflection back, then what was beneath and the start-up', () => {
    const r = run([], 'my brother borrowed my car without asking\nhe returned it with an empty tank\n');
    assert.equal(r.code, 0, r.err);
    const lines = r.out.split('\n');
    assert.match(lines[0]!, /your brother borrowed your car without asking/);
    assert.match(lines[1]!, /your brother returned it with an empty tank/);
    assert.match(r.out, /What was beneath/);
    assert.match(r.out, /A gentle start-up for your brother\n {2}When you borrowed my car without asking/);
  });

  it('safety first: help and resources, and no start-up', () => {
    const story = "my partner forgot my birthday\nI don't want to be alive anymore\nthat's it\n";
    const o = JSON.parse(run(['--json'], story).out) as Out;
    assert.equal(o.safety?.id, 'self_harm');
    assert.equal(o.startup, null);
    assert.match(o.turns[1]!.reflection, /crisis line/);
    const human = run([], story);
    assert.match(human.out, /Safety first/);
    assert.match(human.out, /emergency number/);
    assert.doesNotMatch(human.out, /gentle start-up|What was beneath/i);
  });

  it('bad input gets a clear error: a text argument, binary input', () => {
    const arg = run(['my sister'], '');
    assert.equal(arg.code, 2);
    assert.match(arg.err, /standard input/);
    const bin = run(['--json'], Buffer.from('my sister\u0000joked\n'));
    assert.equal(bin.code, 2);
    assert.match(bin.err, /line 1 looks binary/);
  });

  it('no input at all: an empty session, said plainly', () => {
    const o = JSON.parse(run(['--json'], '').out) as Out;
    assert.deepEqual(o.turns, []);
    assert.equal(o.startup, null);
    assert.match(run([], '\n\n').out, /Nothing was said/);
  });
});
