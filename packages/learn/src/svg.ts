// Plain SVG charts for the evaluation report: horizontal bars and confusion matrices. No dependencies,
// deterministic output (the committed report must reproduce byte for byte).

const esc = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
const f2 = (x: number): string => x.toFixed(2);

export interface Bar {
  label: string;
  value: number;
  ref?: number;
}

/** Horizontal bars, 0..1, with an optional reference tick per bar. */
export function bars(title: string, items: Bar[], note = ''): string {
  const rowH = 20;
  const left = 190;
  const width = 620;
  const plotW = width - left - 60;
  const top = 40;
  const height = top + items.length * rowH + 36;
  const out: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" role="img" aria-label="${esc(title)}" font-family="system-ui, sans-serif" font-size="12">`,
    `<rect width="100%" height="100%" fill="#fbfaf7"/>`,
    `<text x="12" y="22" font-size="15" font-weight="600" fill="#2d3a3a">${esc(title)}</text>`,
  ];
  for (const t of [0, 0.25, 0.5, 0.75, 1]) {
    const x = left + t * plotW;
    out.push(
      `<line x1="${x}" y1="${top - 6}" x2="${x}" y2="${top + items.length * rowH}" stroke="#e4e0d8"/>`,
    );
    out.push(
      `<text x="${x}" y="${top + items.length * rowH + 14}" text-anchor="middle" fill="#6b7474">${t}</text>`,
    );
  }
  items.forEach((b, i) => {
    const y = top + i * rowH;
    out.push(`<text x="${left - 8}" y="${y + 13}" text-anchor="end" fill="#2d3a3a">${esc(b.label)}</text>`);
    out.push(
      `<rect x="${left}" y="${y + 3}" width="${Math.max(0, b.value) * plotW}" height="${rowH - 7}" rx="3" fill="#5b8a82"/>`,
    );
    out.push(
      `<text x="${left + Math.max(0, b.value) * plotW + 4}" y="${y + 13}" fill="#2d3a3a">${f2(b.value)}</text>`,
    );
    if (b.ref !== undefined) {
      const x = left + b.ref * plotW;
      out.push(
        `<line x1="${x}" y1="${y + 1}" x2="${x}" y2="${y + rowH - 2}" stroke="#b5651d" stroke-width="3"><title>reference ${f2(b.ref)}</title></line>`,
      );
    }
  });
  if (note) out.push(`<text x="12" y="${height - 8}" fill="#6b7474">${esc(note)}</text>`);
  out.push('</svg>');
  return `${out.join('\n')}\n`;
}

/** A confusion matrix, rows = gold, columns = predicted, shaded by row share. */
export function confusion(title: string, labels: string[], m: number[][]): string {
  const cell = labels.length > 5 ? 46 : 64;
  const left = 200;
  const top = 60;
  const width = left + labels.length * cell + 20;
  const height = top + labels.length * cell + 40;
  const out: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" role="img" aria-label="${esc(title)}" font-family="system-ui, sans-serif" font-size="11">`,
    `<rect width="100%" height="100%" fill="#fbfaf7"/>`,
    `<text x="12" y="22" font-size="15" font-weight="600" fill="#2d3a3a">${esc(title)}</text>`,
    `<text x="${left}" y="44" fill="#6b7474">predicted →  (rows: gold)</text>`,
  ];
  labels.forEach((l, i) => {
    out.push(
      `<text x="${left - 8}" y="${top + i * cell + cell / 2 + 4}" text-anchor="end" fill="#2d3a3a">${esc(short(l))}</text>`,
    );
    out.push(
      `<text x="${left + i * cell + cell / 2}" y="${top + labels.length * cell + 16}" text-anchor="middle" fill="#2d3a3a">${esc(short(l, 7))}</text>`,
    );
    const total = m[i]!.reduce((s, v) => s + v, 0) || 1;
    m[i]!.forEach((v, j) => {
      const share = v / total;
      const light = Math.round(97 - share * 55);
      out.push(
        `<rect x="${left + j * cell}" y="${top + i * cell}" width="${cell - 2}" height="${cell - 2}" fill="hsl(170, 22%, ${light}%)"><title>${esc(l)} → ${esc(labels[j]!)}: ${v}</title></rect>`,
      );
      out.push(
        `<text x="${left + j * cell + cell / 2 - 1}" y="${top + i * cell + cell / 2 + 4}" text-anchor="middle" fill="${light < 60 ? '#fff' : '#2d3a3a'}">${v}</text>`,
      );
    });
  });
  out.push('</svg>');
  return `${out.join('\n')}\n`;
}

function short(s: string, n = 28): string {
  return s.length > n ? `${s.slice(0, n - 1)}…` : s;
}
