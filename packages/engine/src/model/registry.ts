// The learned models the lenses read, provided from outside: the engine imports no model file itself, so
// a front end can load the rules first and the models after (the web worker's first download is small).
// The Node entry (index.ts) registers the shipped models at import, so the CLI, the API and the tests read
// with them as before. Until all of them are here the lenses read by the rules alone, as with
// `models: false`.

import { InputError } from '../util.js';
import { loadModel, type Model, type ModelArtifact } from './linear.js';

/** Every model the lenses read (models/<name>.json). AnnoMI's is scored by eval but not read by a lens. */
export const MODEL_NAMES = ['goemotions', 'safety', 'moves', 'reply', 'feelings', 'needs'] as const;
export type ModelName = (typeof MODEL_NAMES)[number];

const artifacts = new Map<ModelName, ModelArtifact>();
const decoded = new Map<ModelName, Model>();

const isName = (s: string): s is ModelName => (MODEL_NAMES as readonly string[]).includes(s);

/** Bytes a base64 string decodes to, without decoding it. */
const base64Bytes = (b64: string): number =>
  (b64.length / 4) * 3 - (b64.endsWith('==') ? 2 : b64.endsWith('=') ? 1 : 0);

/**
 * What is wrong with a model file, or null: its shape, and whether its keys, weights, scales and biases
 * agree in size (checked from the base64 lengths, so registering stays cheap; decoding waits for first use).
 */
function problemOf(a: unknown): string | null {
  if (!a || typeof a !== 'object') return 'not an object';
  const m = a as Partial<ModelArtifact>;
  if (!Array.isArray(m.classes) || !m.classes.length) return 'no classes';
  if (!m.spec || typeof m.spec !== 'object') return 'no feature spec';
  if (typeof m.keys !== 'string' || typeof m.weights !== 'string') return 'no keys or weights';
  if (m.keys.length % 4 || m.weights.length % 4) return 'keys or weights are not base64';
  const C = m.classes.length;
  if (!Array.isArray(m.scales) || m.scales.length !== C || !Array.isArray(m.bias) || m.bias.length !== C)
    return `scales and bias do not match its ${C} classes`;
  const keys = base64Bytes(m.keys);
  if (keys % 4 || base64Bytes(m.weights) !== (keys / 4) * C)
    return `${keys / 4} keys and ${base64Bytes(m.weights)} weights do not agree with ${C} classes`;
  return null;
}

/**
 * Provide models (any of MODEL_NAMES; a later one replaces an earlier one). All or nothing: an unknown
 * name or a malformed model is an InputError and nothing given is registered. Each is decoded on first
 * use, which keeps importing the engine (and a web worker's switch to the models) cheap.
 */
export function registerModels(given: Partial<Record<string, unknown>>): void {
  const ok: [ModelName, ModelArtifact][] = [];
  for (const [name, a] of Object.entries(given)) {
    if (!isName(name)) throw new InputError(`unknown model: ${name} (one of ${MODEL_NAMES.join(', ')})`);
    const problem = problemOf(a);
    if (problem) throw new InputError(`model ${name}: ${problem}`);
    ok.push([name, a as ModelArtifact]);
  }
  for (const [name, a] of ok) {
    artifacts.set(name, a);
    decoded.delete(name);
  }
}

/** Forget every registered model: the lenses read by the rules alone until models are registered again. */
export function clearModels(): void {
  artifacts.clear();
  decoded.clear();
}

/** The models not registered yet, in MODEL_NAMES order. */
export function missingModels(): ModelName[] {
  return MODEL_NAMES.filter((n) => !artifacts.has(n));
}

/** Whether the lenses read with the learned models: every one of them is registered. */
export function modelsReady(): boolean {
  return artifacts.size === MODEL_NAMES.length;
}

/** Whether a reading with these options uses the models: asked for (the default) and all registered. */
export function withModels(opts: { models?: boolean }): boolean {
  return opts.models !== false && modelsReady();
}

/** A registered model, decoded the first time it is asked for, then kept. */
function model(name: ModelName): Model {
  let m = decoded.get(name);
  if (m) return m;
  const a = artifacts.get(name);
  // callers ask only after withModels(): reaching this is a bug in the engine, not bad input
  if (!a) throw new Error(`model ${name} is not registered`);
  m = loadModel(a);
  decoded.set(name, m);
  return m;
}

/** GoEmotions: 28 emotions, multi-label, with thresholds tuned on dev. */
export const emotionModel = (): Model => model('goemotions');
/** Safety: none, or a category and level (self_harm, violence, control; concern or urgent), softmax. */
export const safetyModel = (): Model => model('safety');
/** Moves: what each sentence of a reply does (18 move ids, multi-label), thresholds chosen out of fold. */
export const movesModel = (): Model => model('moves');
/** The reply-level head: defensive, steady or flat, from the whole reply and the message it answers. */
export const replyModel = (): Model => model('reply');
/** hear's first feeling and first need, from the project's message corpus (softmax, "none" first). */
export const feelingsModel = (): Model => model('feelings');
export const needsModel = (): Model => model('needs');
