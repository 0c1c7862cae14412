// A new writer's file, read by the shipped engine BEFORE it joins a corpus or any training: the nearest
// thing this project has to an outside test. Run it on the file where the writer left it, then move the
// file into corpus/ and freeze its split (steady train --task ... --freeze) before training.
// Usage: node --import tsx scripts/unseen.ts safety|moves|hear FILE.jsonl
import { readFileSync } from 'node:fs';
import { check, DEFENSIVE_IDS, hear } from '@steady/engine';

const [task, file] = process.argv.slice(2);
if (!task || !file) throw new Error('usage: unseen.ts safety|moves|hear FILE.jsonl');
const rs = readFileSync(file, 'utf8')
  .split('\n')
  .filter((l) => l.trim())
  .map((l) => JSON.parse(l));
const share = (n: number, d: number): number => +(d ? n / d : 0).toFixed(3);
const DEF = new Set<string>(DEFENSIVE_IDS);

if (task === 'safety') {
  const out: Record<string, unknown> = { file, n: rs.length };
  for (const c of ['self_harm', 'violence', 'control']) {
    const pos = rs.filter((r) => r.label === c);
    out[c] = {
      n: pos.length,
      recall: share(pos.filter((r) => hear(r.text).safety?.id === c).length, pos.length),
    };
  }
  const neg = rs.filter((r) => r.label === 'none');
  out.falseAlarms = { n: neg.length, rate: share(neg.filter((r) => hear(r.text).safety).length, neg.length) };
  console.log(JSON.stringify(out));
} else if (task === 'moves') {
  let same = 0,
    tp = 0,
    fp = 0,
    fn = 0;
  for (const r of rs) {
    const c = check(r.reply, { to: r.to || undefined });
    const found = new Set<string>(c.moves.map((m) => m.id));
    const gold = new Set<string>(r.moves.map((m: { id: string }) => m.id));
    if (c.moves.some((m) => m.kind === 'defensive') === [...gold].some((id) => DEF.has(id))) same++;
    for (const id of found) gold.has(id) ? tp++ : fp++;
    for (const id of gold) if (!found.has(id)) fn++;
  }
  console.log(
    JSON.stringify({
      file,
      n: rs.length,
      accuracy: share(same, rs.length),
      microF1: share(2 * tp, 2 * tp + fp + fn),
    }),
  );
} else if (task === 'hear') {
  const withFeeling = rs.filter((r) => r.feelings.length && r.needs.length);
  let f = 0,
    n = 0;
  for (const r of withFeeling) {
    const h = hear(r.text);
    if (h.feelings[0]?.id === r.feelings[0]) f++;
    if (h.needs[0]?.id === r.needs[0]) n++;
  }
  console.log(
    JSON.stringify({
      file,
      n: withFeeling.length,
      feelingsTop1: share(f, withFeeling.length),
      needsTop1: share(n, withFeeling.length),
    }),
  );
} else throw new Error(`unknown task ${task}`);
