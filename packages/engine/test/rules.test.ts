// Every rule carries examples that must and must not match; they run here, rule by rule.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { check, data, hear, read, type RuleSpec } from '../src/index.ts';

function idsOf(file: 'cues' | 'moves' | 'safety', text: string): string[] {
  if (file === 'cues') return read(text).cues.map((c) => c.id);
  if (file === 'moves') return check(text, { models: false }).moves.map((m) => m.id);
  // the rules alone: the learned model is measured on the frozen test split (docs/eval/safety.md)
  const s = hear(text, { models: false }).safety;
  return s ? [s.id] : [];
}

for (const file of ['cues', 'moves', 'safety'] as const) {
  describe(`${file} rules`, () => {
    for (const rule of data[file].rules as RuleSpec[]) {
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
