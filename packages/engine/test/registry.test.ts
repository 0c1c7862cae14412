// The models provided after load (model/registry.ts): @steady/engine/core reads by the rules alone until
// every model is registered, then as the full engine does; a bad model is refused whole. This file imports
// only the core, so nothing here registers the shipped models behind the test's back.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { afterEach, describe, it } from 'node:test';
import {
  check,
  clearModels,
  hear,
  InputError,
  MODEL_NAMES,
  missingModels,
  type ModelArtifact,
  modelsReady,
  registerModels,
  soften,
} from '../src/core.ts';

const shipped = Object.fromEntries(
  MODEL_NAMES.map((n) => [
    n,
    JSON.parse(readFileSync(new URL(`../models/${n}.json`, import.meta.url), 'utf8')) as ModelArtifact,
  ]),
) as Record<(typeof MODEL_NAMES)[number], ModelArtifact>;

const corpus = readFileSync(new URL('../../../corpus/messages.jsonl', import.meta.url), 'utf8')
  .split('\n')
  .filter(Boolean)
  .map((l) => JSON.parse(l) as { text: string });
const replies = readFileSync(new URL('../../../corpus/replies.jsonl', import.meta.url), 'utf8')
  .split('\n')
  .filter(Boolean)
  .map((l) => JSON.parse(l) as { reply: string; to?: string });

// coercive control in words no rule names: only the learned safety model hears it (corpus/safety/co.jsonl)
const MODEL_ONLY = 'Give me the phone. Unlock it. No, here, in front of me. I want to watch you scroll.';
const RULED = "I'm going to kill myself tonight.";

afterEach(() => clearModels());

describe('rules-only mode: the core before its models arrive', () => {
  it('has no models and reads every message and reply exactly as models: false does', () => {
    assert.equal(modelsReady(), false);
    assert.deepEqual(missingModels(), [...MODEL_NAMES]);
    for (const { text } of corpus) assert.deepEqual(hear(text), hear(text, { models: false }), text);
    for (const r of replies.slice(0, 80))
      assert.deepEqual(check(r.reply, { to: r.to }), check(r.reply, { to: r.to, models: false }), r.reply);
    assert.deepEqual(soften(corpus[0]!.text), soften(corpus[0]!.text, { models: false }));
  });

  it('still flags what a safety rule names, at once', () => {
    const s = hear(RULED).safety;
    assert.equal(s?.id, 'self_harm');
    assert.equal(s?.by, 'rule');
    assert.equal(s?.level, 'urgent');
  });

  it('misses what only the model hears, until the models are registered', () => {
    assert.equal(hear(MODEL_ONLY).safety, null);
    registerModels(shipped);
    assert.equal(modelsReady(), true);
    const s = hear(MODEL_ONLY).safety;
    assert.equal(s?.id, 'control');
    assert.equal(s?.by, 'model');
  });

  it('reads by the rules alone while any model is missing', () => {
    const { needs: _, ...five } = shipped;
    registerModels(five);
    assert.equal(modelsReady(), false);
    assert.deepEqual(missingModels(), ['needs']);
    assert.equal(hear(MODEL_ONLY).safety, null);
    registerModels({ needs: shipped.needs });
    assert.equal(hear(MODEL_ONLY).safety?.by, 'model');
  });
});

describe('registerModels', () => {
  it('with all six, the lenses read with the models; models: false and clearModels go back to the rules', () => {
    const differs = corpus.filter(({ text }) => {
      clearModels();
      const rules = hear(text);
      registerModels(shipped);
      const full = hear(text);
      assert.deepEqual(hear(text, { models: false }), rules, text);
      return JSON.stringify(full) !== JSON.stringify(rules);
    });
    // the models change most readings (feelings and needs mixed in): the switch is real, not a flag
    assert.ok(differs.length > corpus.length / 2, `${differs.length} of ${corpus.length} differ`);
    clearModels();
    assert.equal(modelsReady(), false);
    assert.equal(hear(MODEL_ONLY).safety, null);
  });

  it('refuses an unknown name and registers nothing given with it', () => {
    assert.throws(
      () => registerModels({ safety: shipped.safety, annomi: shipped.safety }),
      (e: Error) => e instanceof InputError && /unknown model: annomi/.test(e.message),
    );
    assert.deepEqual(missingModels(), [...MODEL_NAMES]);
  });

  it('refuses a damaged model (shape or sizes that disagree) with a clear error, keeping the one before', () => {
    registerModels(shipped);
    const cut = { ...shipped.safety, weights: shipped.safety.weights.slice(0, -8) };
    const bad: [unknown, RegExp][] = [
      [null, /not an object/],
      [{ ...shipped.safety, classes: [] }, /no classes/],
      [{ ...shipped.safety, keys: 42 }, /no keys or weights/],
      [cut, /weights do not agree with 7 classes/],
      [{ ...shipped.safety, bias: [0] }, /scales and bias do not match its 7 classes/],
      [{ ...shipped.safety, keys: 'abc' }, /not base64/],
    ];
    for (const [model, message] of bad)
      assert.throws(
        () => registerModels({ moves: shipped.moves, safety: model }),
        (e: Error) => e instanceof InputError && message.test(e.message),
        String(message),
      );
    // the good models stayed, and still read
    assert.equal(modelsReady(), true);
    assert.equal(hear(MODEL_ONLY).safety?.by, 'model');
  });

  it('a model registered again replaces the one before (no stale decoded copy)', () => {
    registerModels(shipped);
    assert.equal(hear(MODEL_ONLY).safety?.by, 'model');
    // the same safety model with every weight zero and "none" biased up: it hears nothing
    const flat: ModelArtifact = {
      ...shipped.safety,
      weights: btoa('\0'.repeat(atob(shipped.safety.weights).length)),
      bias: shipped.safety.classes.map((c) => (c === 'none' ? 10 : -10)),
    };
    registerModels({ safety: flat });
    assert.equal(hear(MODEL_ONLY).safety, null);
    registerModels({ safety: shipped.safety });
    assert.equal(hear(MODEL_ONLY).safety?.by, 'model');
  });
});

describe('the main entry', () => {
  it('registers the shipped models as it is imported (the CLI, the API and practice read with them)', async () => {
    assert.equal(modelsReady(), false);
    const engine = await import('../src/index.ts');
    assert.equal(engine.modelsReady(), true);
    assert.equal(engine.hear(MODEL_ONLY).safety?.by, 'model');
  });
});
