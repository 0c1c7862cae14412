// Every rule carries examples that must and must not match; they run here, rule by rule.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { RAW_DATA } from '../src/data.ts';
import { check, data, hear, read } from '../src/index.ts';
import { DATA_SCHEMAS, parseData } from '../src/schema.ts';

function idsOf(file: 'cues' | 'moves' | 'safety', text: string): string[] {
  if (file === 'cues') return read(text).cues.map((c) => c.id);
  if (file === 'moves') return check(text, { models: false }).moves.map((m) => m.id);
  // the rules alone: the learned model is measured on the frozen test split (docs/eval/safety.md)
  const s = hear(text, { models: false }).safety;
  return s ? [s.id] : [];
}

for (const file of ['cues', 'moves', 'safety'] as const) {
  describe(`${file} rules`, () => {
    for (const rule of data[file].rules) {
      it(`${rule.id}/${rule.name}: examples`, () => {
        assert.ok(rule.match.length >= 2, 'each rule needs at least two examples that match');
        assert.ok(rule.noMatch.length >= 1, 'each rule needs at least one example that must not match');
        for (const ex of rule.match)
          assert.ok(idsOf(file, ex).includes(rule.id), `"${ex}" should find ${rule.id}`);
        for (const ex of rule.noMatch)
          assert.ok(!idsOf(file, ex).includes(rule.id), `"${ex}" should not find ${rule.id}`);
      });
    }
  });
}

describe('data files and their schemas', () => {
  it('every data file parses against its schema', () => {
    for (const name of Object.keys(DATA_SCHEMAS) as (keyof typeof DATA_SCHEMAS)[])
      assert.doesNotThrow(() => parseData(name, RAW_DATA[name]), name);
  });
  it('a misspelt field, a rule without examples or an unknown id is refused, naming the file and path', () => {
    const rule = data.moves.rules[0]!;
    const typo = { ...data.moves, rules: [{ ...rule, unlessBefor: ['x'] }] };
    assert.throws(() => parseData('moves', typo), /data\/moves\.json at rules\.0/);
    const bare = { ...data.moves, rules: [{ ...rule, noMatch: [] }] };
    assert.throws(() => parseData('moves', bare), /rules\.0\.noMatch: a rule carries at least one example/);
    const unknown = { ...data.cues, rules: [{ ...data.cues.rules[0]!, id: 'sarcasm' }] };
    assert.throws(() => parseData('cues', unknown), /data\/cues\.json at rules\.0\.id/);
    const { justify: _, ...missing } = data.moves.ids;
    assert.throws(() => parseData('moves', { ...data.moves, ids: missing }), /ids\.justify/);
  });
  it('rule names are unique within each file (they are what --ignore takes)', () => {
    for (const file of ['cues', 'moves', 'safety'] as const) {
      const names = data[file].rules.map((r) => r.name);
      assert.equal(new Set(names).size, names.length, file);
    }
  });
});

describe('docs/rules.md', () => {
  it('is the table generated from the data (run npm run rules after editing a rule)', async () => {
    const { readFileSync } = await import('node:fs');
    const { rulesTable } = await import('../src/rules-table.ts');
    const committed = readFileSync(new URL('../../../docs/rules.md', import.meta.url), 'utf8');
    assert.equal(committed, rulesTable());
    for (const r of data.moves.rules) assert.ok(committed.includes(`| \`${r.name}\` |`), r.name);
  });
});
