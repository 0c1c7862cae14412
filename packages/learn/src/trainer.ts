// Linear models over hashed sparse features, trained with Adagrad: one softmax, or one sigmoid per class
// for multi-label data. Deterministic: a seeded shuffle and a fixed order of float operations, so the
// same data gives the same bytes.

import { toBase64, type FeatureSpec, type ModelArtifact } from '@steady/engine';

export interface Example {
  /** Sorted, unique feature ids. */
  ids: Uint32Array;
  /** Class index (softmax) or class indices (multi-label). */
  y: number[];
}

export interface TrainOptions {
  classes: string[];
  multiLabel: boolean;
  spec: FeatureSpec;
  epochs: number;
  lr: number;
  /** L2 decay applied to the weights an example touches (sparse, lazy). */
  l2: number;
  seed: number;
  /** Weight rare classes up: 0 = none, 0.5 = inverse square root of frequency, 1 = inverse frequency. */
  balance: number;
  onEpoch?: (epoch: number, loss: number) => void;
}

export interface Trained {
  w: Float32Array;
  b: Float64Array;
  C: number;
  opts: TrainOptions;
}

/** mulberry32: small, fast, and the same everywhere. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function train(data: Example[], o: TrainOptions): Trained {
  const C = o.classes.length;
  const D = 2 ** o.spec.bits;
  const w = new Float32Array(D * C);
  const g2 = new Float32Array(D * C);
  const b = new Float64Array(C);
  const bg2 = new Float64Array(C).fill(1e-8);

  // Class weights from training frequencies.
  const freq = new Float64Array(C);
  for (const ex of data) for (const y of ex.y) freq[y]!++;
  const cw = Array.from(freq, (f) => (data.length / (C * Math.max(1, f))) ** o.balance);

  const order = Array.from(data.keys());
  const rand = rng(o.seed);
  const z = new Float64Array(C);
  const grad = new Float64Array(C);
  const target = new Float64Array(C);
  for (let epoch = 0; epoch < o.epochs; epoch++) {
    for (let i = order.length - 1; i > 0; i--) {
      const j = Math.floor(rand() * (i + 1));
      [order[i], order[j]] = [order[j]!, order[i]!];
    }
    let loss = 0;
    for (const idx of order) {
      const ex = data[idx]!;
      const ids = ex.ids;
      const v = 1 / Math.sqrt(Math.max(1, ids.length));
      for (let c = 0; c < C; c++) z[c] = b[c]!;
      for (let k = 0; k < ids.length; k++) {
        const off = ids[k]! * C;
        for (let c = 0; c < C; c++) z[c]! += w[off + c]! * v;
      }
      target.fill(0);
      for (const y of ex.y) target[y] = 1;
      if (o.multiLabel) {
        for (let c = 0; c < C; c++) {
          const p = 1 / (1 + Math.exp(-z[c]!));
          const t = target[c]!;
          // positives of rare classes weigh more; negatives weigh 1
          const weight = t ? cw[c]! : 1;
          grad[c] = (p - t) * weight;
          loss -= weight * (t ? Math.log(p + 1e-12) : Math.log(1 - p + 1e-12));
        }
      } else {
        let max = -Infinity;
        for (let c = 0; c < C; c++) if (z[c]! > max) max = z[c]!;
        let sum = 0;
        for (let c = 0; c < C; c++) sum += z[c] = Math.exp(z[c]! - max);
        const y = ex.y[0]!;
        const weight = cw[y]!;
        for (let c = 0; c < C; c++) grad[c] = (z[c]! / sum - target[c]!) * weight;
        loss -= weight * Math.log(z[y]! / sum + 1e-12);
      }
      for (let c = 0; c < C; c++) {
        const g = grad[c]!;
        bg2[c]! += g * g;
        b[c]! -= (o.lr * g) / Math.sqrt(bg2[c]!);
      }
      for (let k = 0; k < ids.length; k++) {
        const off = ids[k]! * C;
        for (let c = 0; c < C; c++) {
          const gc = grad[c]! * v + o.l2 * w[off + c]!;
          if (gc === 0) continue;
          const at = off + c;
          g2[at]! += gc * gc;
          w[at]! -= (o.lr * gc) / Math.sqrt(g2[at]! + 1e-8);
        }
      }
    }
    o.onEpoch?.(epoch, loss / data.length);
  }
  return { w, b, C, opts: o };
}

/**
 * Keep the `keep` feature rows with the largest weights, quantize them to int8 with a scale per class,
 * and pack them as a shippable artifact. Pruning to a few thousand rows costs little accuracy: most
 * hashed rows are noise that never fired more than once.
 */
export function pack(
  t: Trained,
  name: string,
  keep: number,
  extra: Partial<ModelArtifact> = {},
): ModelArtifact {
  const { w, C } = t;
  const D = w.length / C;
  const rows: { id: number; norm: number }[] = [];
  for (let id = 0; id < D; id++) {
    let n = 0;
    const off = id * C;
    for (let c = 0; c < C; c++) n = Math.max(n, Math.abs(w[off + c]!));
    if (n > 0) rows.push({ id, norm: n });
  }
  rows.sort((a, b) => b.norm - a.norm || a.id - b.id);
  const kept = rows
    .slice(0, keep)
    .map((r) => r.id)
    .sort((a, b) => a - b);
  const scales = new Array<number>(C).fill(0);
  for (const id of kept)
    for (let c = 0; c < C; c++) scales[c] = Math.max(scales[c]!, Math.abs(w[id * C + c]!));
  for (let c = 0; c < C; c++) scales[c] = scales[c]! > 0 ? round6(scales[c]! / 127) : 1;
  const keys = new Uint8Array(kept.length * 4);
  const dv = new DataView(keys.buffer);
  const q = new Int8Array(kept.length * C);
  kept.forEach((id, r) => {
    dv.setUint32(r * 4, id, true);
    for (let c = 0; c < C; c++)
      q[r * C + c] = Math.max(-127, Math.min(127, Math.round(w[id * C + c]! / scales[c]!)));
  });
  return {
    name,
    version: 1,
    classes: t.opts.classes,
    multiLabel: t.opts.multiLabel,
    spec: t.opts.spec,
    keys: toBase64(keys),
    weights: toBase64(new Uint8Array(q.buffer)),
    scales,
    bias: Array.from(t.b, round6),
    ...extra,
  };
}

export function round6(x: number): number {
  return Math.round(x * 1e6) / 1e6;
}
