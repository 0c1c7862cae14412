// A latency percentile plot as a small standalone SVG, for docs where a curve says more than a table:
// time on a log axis, and the share of traffic on a "nines" axis (50%, 90%, 99%, 99.9%, 99.99%) so the
// tail that a p99 target is about gets as much room as the middle.

export interface Curve {
  name: string;
  /** Sorted latencies in ms. */
  values: number[];
}

const COLOURS = ['#43716a', '#9a5418', '#3b5b92', '#7a4a8c'];
const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;');

export function cdfSvg(title: string, curves: Curve[], targetMs: number): string {
  const W = 640,
    H = 320,
    L = 56,
    R = 16,
    T = 36,
    B = 44;
  const all = curves.flatMap((c) => [c.values[0] ?? 1, c.values.at(-1) ?? 1]);
  const lo = Math.max(0.1, Math.min(...all, targetMs) / 1.5);
  const hi = Math.max(...all, targetMs) * 1.2;
  const x = (ms: number) =>
    L + ((Math.log10(Math.max(ms, lo)) - Math.log10(lo)) / (Math.log10(hi) - Math.log10(lo))) * (W - L - R);
  const NINES = 4;
  const y = (p: number) =>
    T + (1 - Math.min(NINES, -Math.log10(Math.max(1 - p, 10 ** -NINES))) / NINES) * (H - T - B);
  const ticks: number[] = [];
  for (let d = 10 ** Math.floor(Math.log10(lo)); d <= hi; d *= 10)
    for (const m of [1, 2, 5]) if (d * m >= lo && d * m <= hi) ticks.push(d * m);
  const parts: string[] = [];
  parts.push(
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${W} ${H}" width="${W}" height="${H}" role="img" aria-labelledby="t d" font-family="system-ui, sans-serif" font-size="12">`,
  );
  parts.push(`<title id="t">${esc(title)}</title>`);
  parts.push(
    `<desc id="d">${esc(curves.map((c) => `${c.name}: p50 ${pct(c.values, 0.5)} ms, p99 ${pct(c.values, 0.99)} ms`).join('; '))}; target ${targetMs} ms.</desc>`,
  );
  parts.push(`<rect width="${W}" height="${H}" fill="#fffdf9"/>`);
  parts.push(`<text x="${L}" y="20" font-size="14" fill="#2d3a3a">${esc(title)}</text>`);
  for (const [p, label] of [
    [0, '0%'],
    [0.9, '90%'],
    [0.99, '99%'],
    [0.999, '99.9%'],
    [0.9999, '99.99%'],
  ] as const) {
    parts.push(
      `<line x1="${L}" x2="${W - R}" y1="${y(p)}" y2="${y(p)}" stroke="#e4e0d8"/><text x="${L - 6}" y="${y(p) + 4}" text-anchor="end" fill="#5a6363">${label}</text>`,
    );
  }
  for (const t of ticks)
    parts.push(
      `<line x1="${x(t)}" x2="${x(t)}" y1="${T}" y2="${H - B}" stroke="#f0ece4"/><text x="${x(t)}" y="${H - B + 16}" text-anchor="middle" fill="#5a6363">${t}</text>`,
    );
  parts.push(
    `<text x="${(L + W - R) / 2}" y="${H - 8}" text-anchor="middle" fill="#2d3a3a">relay latency, ms (log scale); share of messages at or under it</text>`,
  );
  parts.push(
    `<line x1="${x(targetMs)}" x2="${x(targetMs)}" y1="${T}" y2="${H - B}" stroke="#8a2a1c" stroke-dasharray="4 3"/><text x="${x(targetMs) - 4}" y="${H - B - 6}" text-anchor="end" fill="#8a2a1c">target ${targetMs} ms</text>`,
  );
  curves.forEach((c, k) => {
    const n = c.values.length;
    if (!n) return;
    // at most ~400 points: the curve's shape, not every sample
    const step = Math.max(1, Math.floor(n / 200));
    const pts: string[] = [];
    // evenly in the nines, so the tail keeps its detail
    const idx = new Set<number>();
    for (let i = 0; i < n; i += step) idx.add(i);
    for (let k2 = 1; k2 <= 400; k2++)
      idx.add(Math.min(n - 1, Math.floor(n * (1 - 10 ** (-(k2 / 400) * NINES)))));
    idx.add(n - 1);
    for (const i of [...idx].sort((a, b) => a - b))
      pts.push(`${x(c.values[i]!).toFixed(1)},${y((i + 0.5) / n).toFixed(1)}`);
    const colour = COLOURS[k % COLOURS.length];
    parts.push(`<polyline fill="none" stroke="${colour}" stroke-width="2" points="${pts.join(' ')}"/>`);
    const ly = T + 16 + k * 18; // top left: the curves rise to the right, so that corner is empty
    parts.push(
      `<rect x="${L + 10}" y="${ly - 5}" width="12" height="3" fill="${colour}"/><text x="${L + 28}" y="${ly}" fill="#2d3a3a">${esc(c.name)} (p99 ${pct(c.values, 0.99)} ms)</text>`,
    );
  });
  parts.push('</svg>');
  return `${parts.join('\n')}\n`;
}

function pct(sorted: number[], p: number): string {
  const v = sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))];
  return v === undefined ? '–' : v.toFixed(1);
}
