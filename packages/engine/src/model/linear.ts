// A compact linear model: the rows of kept features, int8 weights with a scale per class, and biases.
// Inference is a binary search per feature and a dot product: well under a tenth of a millisecond.

import { featuresOf, sortedIds, type FeatureSpec } from './features.js';
import type { Token } from '../text.js';

export interface ModelArtifact {
  name: string;
  version: number;
  classes: string[];
  /** Independent sigmoids (multi-label) or one softmax. */
  multiLabel: boolean;
  spec: FeatureSpec;
  /** Base64 of a sorted Uint32Array of feature ids (little-endian). */
  keys: string;
  /** Base64 of an Int8Array, row-major: keys.length rows by classes.length columns. */
  weights: string;
  scales: number[];
  bias: number[];
  /** Decision thresholds tuned on dev (multi-label), one per class. */
  thresholds?: number[];
  /** Named sums of classes with a decision threshold each (a move made of several fine classes). */
  groups?: Record<string, { classes: string[]; threshold: number }>;
  /** Per rule name, how often its finding was right on the training data (the reply head's trust in it). */
  trust?: Record<string, number>;
  card?: Record<string, unknown>;
}

export interface Model {
  readonly artifact: ModelArtifact;
  readonly classes: readonly string[];
  /** Probabilities per class for a token stream, and optionally the message it answers. */
  predict(toks: readonly Token[], context?: readonly Token[]): Float64Array;
  /** Probabilities per class for feature ids already computed. */
  predictIds(ids: Uint32Array): Float64Array;
  /**
   * The weight sums of ids shared by many predictions (the message a reply answers), computed once; then
   * predictWith(own, shared) equals predictIds(own ∪ shared.ids) exactly (int8 weights sum exactly).
   */
  share(ids: Iterable<number>): Shared;
  predictWith(own: Uint32Array, shared: Shared): Float64Array;
}

export interface Shared {
  ids: ReadonlySet<number>;
  sums: Float64Array;
}

function fromBase64(b64: string): Uint8Array {
  // atob exists in browsers and Node 16+: the engine stays isomorphic.
  const bin = atob(b64);
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

export function toBase64(bytes: Uint8Array): string {
  let s = '';
  for (let i = 0; i < bytes.length; i += 0x8000) s += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(s);
}

export function loadModel(a: ModelArtifact): Model {
  const C = a.classes.length;
  const kb = fromBase64(a.keys);
  const keys = new Uint32Array(kb.length / 4);
  const dv = new DataView(kb.buffer, kb.byteOffset, kb.byteLength);
  for (let i = 0; i < keys.length; i++) keys[i] = dv.getUint32(i * 4, true);
  const wb = fromBase64(a.weights);
  const weights = new Int8Array(wb.buffer, wb.byteOffset, wb.byteLength);
  if (weights.length !== keys.length * C || a.scales.length !== C || a.bias.length !== C) {
    throw new Error(
      `model ${a.name}: ${keys.length} keys, ${weights.length} weights and ${C} classes do not agree`,
    );
  }
  const row = (id: number): number => {
    let lo = 0;
    let hi = keys.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      const k = keys[mid]!;
      if (k < id) lo = mid + 1;
      else if (k > id) hi = mid - 1;
      else return mid;
    }
    return -1;
  };
  const addRow = (z: Float64Array, id: number): void => {
    const r = row(id);
    if (r < 0) return;
    const off = r * C;
    for (let c = 0; c < C; c++) z[c]! += weights[off + c]!;
  };
  const finish = (z: Float64Array, count: number): Float64Array => {
    const norm = 1 / Math.sqrt(Math.max(1, count));
    for (let c = 0; c < C; c++) z[c] = z[c]! * a.scales[c]! * norm + a.bias[c]!;
    return a.multiLabel ? sigmoidAll(z) : softmax(z);
  };
  const predictIds = (ids: Uint32Array): Float64Array => {
    const z = new Float64Array(C);
    for (let i = 0; i < ids.length; i++) addRow(z, ids[i]!);
    return finish(z, ids.length);
  };
  const share = (ids: Iterable<number>): Shared => {
    const set = new Set(ids);
    const sums = new Float64Array(C);
    for (const id of set) addRow(sums, id);
    return { ids: set, sums };
  };
  const predictWith = (own: Uint32Array, shared: Shared): Float64Array => {
    const z = Float64Array.from(shared.sums);
    let count = shared.ids.size;
    for (let i = 0; i < own.length; i++) {
      if (shared.ids.has(own[i]!)) continue; // a hash collision with the shared part counts once, as in a set
      addRow(z, own[i]!);
      count++;
    }
    return finish(z, count);
  };
  return {
    artifact: a,
    classes: a.classes,
    predictIds,
    share,
    predictWith,
    predict: (toks, context) => predictIds(idsOf(a.spec, toks, context)),
  };
}

/** Feature ids of a text, plus the message it answers in a namespace of its own. */
export function idsOf(spec: FeatureSpec, toks: readonly Token[], context?: readonly Token[]): Uint32Array {
  const set = featuresOf(toks, spec);
  if (context) featuresOf(context, spec, 1, set);
  return sortedIds(set);
}

export function sigmoidAll(z: Float64Array): Float64Array {
  for (let c = 0; c < z.length; c++) z[c] = 1 / (1 + Math.exp(-z[c]!));
  return z;
}

export function softmax(z: Float64Array): Float64Array {
  let max = -Infinity;
  for (const v of z) if (v > max) max = v;
  let sum = 0;
  for (let c = 0; c < z.length; c++) sum += z[c] = Math.exp(z[c]! - max);
  for (let c = 0; c < z.length; c++) z[c] = z[c]! / sum;
  return z;
}
