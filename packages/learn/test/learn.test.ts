import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadModel, tokenize, idsOf, check, hear } from '@steady/engine';
import { fitGoEmotions, evalGoEmotions, goExamples, type Recipe } from '../src/tasks.ts';
import { singleLabel, multiLabel, bestThreshold, tuneOffsets } from '../src/metrics.ts';
import { train, pack, rng } from '../src/trainer.ts';
import { runEval } from '../src/evaluate.ts';

const SAMPLE = join(import.meta.dirname, 'fixtures');
const SMALL: Recipe = {
  spec: { bits: 14, bigrams: true, chars: [3, 4] },
  epochs: 4,
  lr: 0.2,
  l2: 0.001,
  balance: 0.5,
  keep: 3000,
};

test('training on the shipped sample is deterministic: the same data gives the same bytes', () => {
  const a = fitGoEmotions(SAMPLE, undefined, SMALL);
  const b = fitGoEmotions(SAMPLE, undefined, SMALL);
  assert.equal(JSON.stringify(a), JSON.stringify(b));
  assert.equal(a.classes.length, 28);
  assert.equal(a.thresholds!.length, 28);
});

test('a trained model learns its training data better than the majority class', () => {
  const art = fitGoEmotions(SAMPLE, undefined, { ...SMALL, epochs: 10, l2: 0 });
  const m = loadModel(art);
  const ex = goExamples(SAMPLE, 'train', art.spec);
  const pred = ex.map((e) => {
    const p = m.predictIds(e.ids);
    return art.classes.map((_, c) => c).filter((c) => p[c]! >= 0.3);
  });
  const fit = multiLabel(
    art.classes,
    ex.map((e) => e.y),
    pred,
  ).macroF1;
  const neutral = art.classes.indexOf('neutral');
  const majority = multiLabel(
    art.classes,
    ex.map((e) => e.y),
    ex.map(() => [neutral]),
  ).macroF1;
  assert.ok(fit > majority + 0.2, `fit ${fit} vs majority ${majority}`);
});

test('evaluation on the sample reports numbers computed from predictions', () => {
  const art = fitGoEmotions(SAMPLE, undefined, SMALL);
  const r = evalGoEmotions(SAMPLE, art);
  assert.ok(r.ekmanMacroF1 > r.majorityEkman, 'grouping into Ekman beats always-neutral');
  // the macro-F1 is the mean of the per-class F1s it reports, computed from the predictions
  const mean = r.perClass.reduce((s, c) => s + c.f1, 0) / r.perClass.length;
  assert.ok(Math.abs(r.macroF1 - mean) < 1e-9, `${r.macroF1} vs ${mean}`);
  assert.ok(r.macroF1 > 0.05, 'trained on the sample, it finds some classes of the sample');
  assert.equal(r.perClass.length, 28);
});

test('the eval command path writes a report with charts for the tasks it ran', async () => {
  const out = mkdtempSync(join(tmpdir(), 'steady-eval-'));
  // the shipped model scored on the sample's test comments: the real path, on small data
  const res = await runEval(SAMPLE, { tasks: ['goemotions'], write: out });
  const json = res.json.goemotions as { macroF1: number; ekmanMacroF1: number };
  assert.ok(json.macroF1 > 0.2 && json.ekmanMacroF1 > 0.3);
  const md = readFileSync(join(out, 'README.md'), 'utf8');
  assert.match(md, /GoEmotions \| 28-way macro-F1 \| 0\.\d{3} \| 0\.460/);
  assert.match(readFileSync(join(out, 'goemotions-f1.svg'), 'utf8'), /^<svg[^>]+role="img"/);
});

test('metrics: accuracy, macro-F1, thresholds and offsets on hand-checkable cases', () => {
  const r = singleLabel(['x', 'y'], [0, 0, 1, 1], [0, 1, 1, 1]);
  assert.equal(r.acc, 0.75);
  assert.deepEqual(r.confusion, [
    [1, 1],
    [0, 2],
  ]);
  assert.ok(Math.abs(r.macroF1 - (2 / 3 + 0.8) / 2) < 1e-9);
  const t = bestThreshold([0.1, 0.2, 0.8, 0.9], [false, false, true, true]);
  assert.ok(t > 0.1 && t <= 0.8, `threshold ${t} separates the classes`);
  const off = tuneOffsets([Float64Array.of(0.6, 0.4), Float64Array.of(0.55, 0.45)], [0, 1], 2, ['x', 'y']);
  assert.ok(off[1]! > off[0]!, 'the rare class is pushed up until both are found');
});

test('the trainer separates a toy problem and the seeded shuffle is stable', () => {
  const r1 = rng(7),
    r2 = rng(7);
  assert.deepEqual([r1(), r1(), r1()], [r2(), r2(), r2()]);
  const data = Array.from({ length: 200 }, (_, i) => ({ ids: Uint32Array.of(i % 2 ? 1 : 2, 3), y: [i % 2] }));
  const t = train(data, {
    classes: ['a', 'b'],
    multiLabel: false,
    spec: { bits: 4, bigrams: false, chars: null },
    epochs: 5,
    lr: 0.5,
    l2: 0,
    balance: 0,
    seed: 1,
  });
  const m = loadModel(pack(t, 'toy', 10));
  assert.ok(m.predictIds(Uint32Array.of(1, 3))[1]! > 0.9);
  assert.ok(m.predictIds(Uint32Array.of(2, 3))[0]! > 0.9);
});

test('the shipped models load, stay small, and read emotion and listening moves', () => {
  const go = readFileSync(join(import.meta.dirname, '../../engine/models/goemotions.json'));
  const an = readFileSync(join(import.meta.dirname, '../../engine/models/annomi.json'));
  assert.ok(go.length + an.length <= 3 * 1024 * 1024, 'at most 3 MB on disk');
  const gm = loadModel(JSON.parse(go.toString()));
  const p = gm.predict(tokenize('I am so scared about tomorrow, I can not stop shaking'));
  assert.equal(gm.classes[p.indexOf(Math.max(...p))], 'fear');
  const am = loadModel(JSON.parse(an.toString()));
  const q = am.predictIds(
    idsOf(am.artifact.spec, tokenize('What was that like for you?'), tokenize('I had a hard week.')),
  );
  assert.match(am.classes[q.indexOf(Math.max(...q))]!, /^question/);
});

test('the engine uses the models: a feeling with no lexicon word, and rules-only stays available', () => {
  for (const [text, id] of [
    ['This is terrifying for me.', 'scared'],
    ['That was so embarrassing, everyone laughed at me.', 'ashamed'],
    ['I have no idea what you mean by that.', 'confused'],
  ] as const) {
    assert.ok(
      hear(text).feelings.some((f) => f.id === id),
      `${text} -> ${id}`,
    );
    assert.ok(!hear(text, { models: false }).feelings.some((f) => f.id === id), 'the rules alone miss it');
  }
  const r = check('What has this week been like for you at work?', { to: 'Work is crushing me.' });
  const explore = r.moves.find((m) => m.id === 'explore');
  assert.ok(explore, JSON.stringify(r.moves));
  assert.equal(explore.text, r.text.slice(explore.start, explore.end), 'a model move keeps an exact span');
});
