// Metrics computed from predictions, never typed in: accuracy, per-class precision/recall/F1, macro-F1,
// and confusion matrices.

export interface ClassScore {
  label: string;
  precision: number;
  recall: number;
  f1: number;
  support: number;
}

export function f1Of(tp: number, fp: number, fn: number): { precision: number; recall: number; f1: number } {
  const precision = tp + fp ? tp / (tp + fp) : 0;
  const recall = tp + fn ? tp / (tp + fn) : 0;
  const f1 = precision + recall ? (2 * precision * recall) / (precision + recall) : 0;
  return { precision, recall, f1 };
}

/** Single-label: gold and predicted class indices. */
export function singleLabel(labels: string[], gold: number[], pred: number[]) {
  const C = labels.length;
  const confusion = Array.from({ length: C }, () => new Array<number>(C).fill(0));
  let correct = 0;
  gold.forEach((g, i) => {
    confusion[g]![pred[i]!]!++;
    if (g === pred[i]) correct++;
  });
  const perClass: ClassScore[] = labels.map((label, c) => {
    const tp = confusion[c]![c]!;
    const fn = confusion[c]!.reduce((s, v) => s + v, 0) - tp;
    const fp = confusion.reduce((s, row) => s + row[c]!, 0) - tp;
    return { label, ...f1Of(tp, fp, fn), support: tp + fn };
  });
  return {
    acc: gold.length ? correct / gold.length : 0,
    macroF1: mean(perClass.map((p) => p.f1)),
    perClass,
    confusion,
  };
}

/** Multi-label: sets of class indices per example. */
export function multiLabel(labels: string[], gold: number[][], pred: number[][]) {
  const C = labels.length;
  const tp = new Array<number>(C).fill(0);
  const fp = new Array<number>(C).fill(0);
  const fn = new Array<number>(C).fill(0);
  gold.forEach((g, i) => {
    const gs = new Set(g);
    const ps = new Set(pred[i]);
    for (const c of ps) (gs.has(c) ? tp : fp)[c]!++;
    for (const c of gs) if (!ps.has(c)) fn[c]!++;
  });
  const perClass: ClassScore[] = labels.map((label, c) => ({
    label,
    ...f1Of(tp[c]!, fp[c]!, fn[c]!),
    support: tp[c]! + fn[c]!,
  }));
  return { macroF1: mean(perClass.map((p) => p.f1)), perClass };
}

export function mean(xs: number[]): number {
  return xs.length ? xs.reduce((s, x) => s + x, 0) / xs.length : 0;
}

export function argmax(p: ArrayLike<number>): number {
  let best = 0;
  for (let i = 1; i < p.length; i++) if (p[i]! > p[best]!) best = i;
  return best;
}

/** The threshold (on a 0.01 grid) that maximizes F1 of one class on dev. */
export function bestThreshold(scores: number[], truth: boolean[]): number {
  let best = 0.5;
  let bestF = -1;
  for (let t = 0.02; t <= 0.95; t += 0.01) {
    let tp = 0,
      fp = 0,
      fn = 0;
    scores.forEach((s, i) => {
      if (s >= t) truth[i] ? tp++ : fp++;
      else if (truth[i]) fn++;
    });
    const f = f1Of(tp, fp, fn).f1;
    if (f > bestF + 1e-12) {
      bestF = f;
      best = t;
    }
  }
  return Math.round(best * 100) / 100;
}

/**
 * Per-class log-offsets for a softmax, tuned on dev by coordinate ascent on macro-F1: the model's
 * priors follow the training frequencies, while macro-F1 weighs every class the same.
 */
export function tuneOffsets(probs: Float64Array[], gold: number[], C: number, labels: string[]): number[] {
  const off = new Array<number>(C).fill(0);
  const score = (o: number[]): number => {
    const pred = probs.map((p) => {
      let best = 0,
        bv = -Infinity;
      for (let c = 0; c < C; c++) {
        const v = Math.log(p[c]! + 1e-12) + o[c]!;
        if (v > bv) {
          bv = v;
          best = c;
        }
      }
      return best;
    });
    return singleLabel(labels, gold, pred).macroF1;
  };
  let cur = score(off);
  for (let round = 0; round < 3; round++) {
    for (let c = 0; c < C; c++) {
      for (let v = -2; v <= 2.0001; v += 0.25) {
        const trial = off.slice();
        trial[c] = Math.round(v * 100) / 100;
        const s = score(trial);
        if (s > cur + 1e-9) {
          cur = s;
          off[c] = trial[c]!;
        }
      }
    }
  }
  return off;
}
