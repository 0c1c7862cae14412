// Scoring against the project's own labelled dev corpus (corpus/*.jsonl): per-id precision and recall.

import { readFileSync } from 'node:fs';
import { check, hear, CUE_IDS, DEFENSIVE_IDS, STEADY_IDS, SAFETY_IDS } from '@steady/engine';
import { f1Of } from '@steady/learn';

export interface MessageCase {
  text: string;
  cues: string[];
  safety: string | null;
}
export interface ReplyCase {
  reply: string;
  to?: string;
  moves: string[];
}
export interface IdScore {
  id: string;
  tp: number;
  fp: number;
  fn: number;
  precision: number;
  recall: number;
  f1: number;
}
export interface Miss {
  text: string;
  id: string;
  kind: 'missed' | 'extra';
}

export function readJsonl<T>(path: string): T[] {
  return readFileSync(path, 'utf8')
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => JSON.parse(l) as T);
}

function tally(ids: readonly string[], cases: Array<{ gold: Set<string>; got: Set<string>; text: string }>) {
  const misses: Miss[] = [];
  const scores: IdScore[] = ids.map((id) => {
    let tp = 0;
    let fp = 0;
    let fn = 0;
    for (const c of cases) {
      const g = c.gold.has(id);
      const p = c.got.has(id);
      if (g && p) tp++;
      else if (p) {
        fp++;
        misses.push({ text: c.text, id, kind: 'extra' });
      } else if (g) {
        fn++;
        misses.push({ text: c.text, id, kind: 'missed' });
      }
    }
    return { id, tp, fp, fn, ...f1Of(tp, fp, fn) };
  });
  return { scores, misses };
}

export function scoreMessages(cases: MessageCase[]) {
  const rows = cases.map((c) => {
    const r = hear(c.text);
    const got = new Set<string>(r.cues.map((x) => x.id));
    if (r.safety) got.add(r.safety.id);
    const gold = new Set<string>(c.cues);
    if (c.safety) gold.add(c.safety);
    return { gold, got, text: c.text };
  });
  return tally([...CUE_IDS, ...SAFETY_IDS], rows);
}

export function scoreReplies(cases: ReplyCase[]) {
  const rows = cases.map((c) => {
    const r = check(c.reply, { to: c.to });
    return { gold: new Set(c.moves), got: new Set<string>(r.moves.map((m) => m.id)), text: c.reply };
  });
  return tally([...DEFENSIVE_IDS, ...STEADY_IDS], rows);
}

export function macro(scores: IdScore[]): { precision: number; recall: number; f1: number } {
  const n = scores.length || 1;
  return {
    precision: scores.reduce((s, x) => s + x.precision, 0) / n,
    recall: scores.reduce((s, x) => s + x.recall, 0) / n,
    f1: scores.reduce((s, x) => s + x.f1, 0) / n,
  };
}

export function table(scores: IdScore[]): string {
  const f = (x: number) => x.toFixed(2);
  const lines = ['| id | support | precision | recall | F1 |', '|---|---:|---:|---:|---:|'];
  for (const s of scores)
    lines.push(`| \`${s.id}\` | ${s.tp + s.fn} | ${f(s.precision)} | ${f(s.recall)} | ${f(s.f1)} |`);
  const m = macro(scores);
  lines.push(`| **macro** | | **${f(m.precision)}** | **${f(m.recall)}** | **${f(m.f1)}** |`);
  return lines.join('\n');
}
