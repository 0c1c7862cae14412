// docs/eval/moves.md: check's moves on the frozen test split of the reply corpus, and on public
// human-labelled sets it never trained on (EPITOME, UCC, mentalmanip: non-commercial, evaluation only).

import { join } from 'node:path';
import { check, eventOf, tokenize } from '@steady/engine';
import { readJsonl } from './data.js';
import { checkAgreement, evalMovesCorpus, MOVE_IDS, replySplit } from './replies.js';
import { bars } from './svg.js';

const p3 = (x: number): string => x.toFixed(3);

/** Spearman's rank correlation, ties given their average rank. */
export function spearman(a: number[], b: number[]): number {
  const rank = (xs: number[]): number[] => {
    const idx = xs.map((x, i) => [x, i] as const).sort((p, q) => p[0] - q[0]);
    const r = new Array<number>(xs.length);
    for (let i = 0; i < idx.length; ) {
      let j = i;
      while (j + 1 < idx.length && idx[j + 1]![0] === idx[i]![0]) j++;
      for (let k = i; k <= j; k++) r[idx[k]![1]] = (i + j) / 2 + 1;
      i = j + 1;
    }
    return r;
  };
  const ra = rank(a);
  const rb = rank(b);
  const n = a.length;
  const ma = ra.reduce((s, x) => s + x, 0) / n;
  const mb = rb.reduce((s, x) => s + x, 0) / n;
  let num = 0,
    da = 0,
    db = 0;
  for (let i = 0; i < n; i++) {
    num += (ra[i]! - ma) * (rb[i]! - mb);
    da += (ra[i]! - ma) ** 2;
    db += (rb[i]! - mb) ** 2;
  }
  return da && db ? num / Math.sqrt(da * db) : 0;
}

interface Epi {
  seeker: string;
  response: string;
  er_level: number;
  ip_level: number;
  ex_level: number;
}
export function evalEpitomeSteadiness(dir: string) {
  const rows = readJsonl<Epi>(join(dir, 'epitome', 'test.jsonl'));
  const total = rows.map((r) => r.er_level + r.ip_level + r.ex_level);
  const steadiness = rows.map((r) => check(r.response, { to: r.seeker }).steadiness);
  const length = rows.map((r) => r.response.length);
  const counts = new Map<number, number>();
  for (const s of steadiness) counts.set(s, (counts.get(s) ?? 0) + 1);
  const [mode, modeN] = [...counts].sort((a, b) => b[1] - a[1])[0]!;
  return {
    n: rows.length,
    spearman: spearman(steadiness, total),
    lengthSpearman: spearman(length, total),
    mode,
    modeN,
  };
}

interface Ucc {
  text: string;
  labels: Record<string, number>;
}
const UNHEALTHY = ['antagonize', 'condescending', 'dismissive', 'hostile', 'sarcastic'];
export function evalUcc(dir: string) {
  const rows = readJsonl<Ucc>(join(dir, 'ucc', 'test.jsonl'));
  const flagged = rows.map((r) => check(r.text).moves.some((m) => m.kind === 'defensive'));
  const rate = (pick: (r: Ucc) => boolean) => {
    const idx = rows.map((r, i) => (pick(r) ? i : -1)).filter((i) => i >= 0);
    return { n: idx.length, rate: idx.length ? idx.filter((i) => flagged[i]).length / idx.length : 0 };
  };
  return {
    healthy: rate((r) => r.labels.healthy === 1 && UNHEALTHY.every((l) => !r.labels[l])),
    byLabel: Object.fromEntries(UNHEALTHY.map((l) => [l, rate((r) => r.labels[l] === 1)])),
  };
}

interface Manip {
  turns: { speaker: string; text: string }[];
  techniques: string[];
}
const MANIP: Record<string, string> = {
  Denial: 'correct',
  Evasion: 'withdraw',
  Accusation: 'counterattack',
  'Playing Victim Role': 'personalize',
};
export function evalMentalmanipMoves(dir: string) {
  const ds = readJsonl<Manip>(join(dir, 'mentalmanip', 'test.jsonl'));
  return Object.entries(MANIP).map(([technique, move]) => {
    const with_ = ds.filter((d) => d.techniques.includes(technique));
    const found = with_.filter((d) =>
      d.turns.some(
        (t, i) =>
          t.text.trim() &&
          check(t.text, { to: i > 0 ? d.turns[i - 1]!.text || undefined : undefined }).moves.some(
            (m) => m.id === move,
          ),
      ),
    );
    return { technique, move, n: with_.length, recall: with_.length ? found.length / with_.length : 0 };
  });
}

/** check's suggestions over the frozen test replies that answer a message: how varied, and how often they name what happened. */
export function suggestionVariety() {
  const test = replySplit().test.filter((r) => r.to);
  const openings = new Set<string>();
  let n = 0,
    withEvent = 0,
    named = 0;
  for (const r of test) {
    const c = check(r.reply, { to: r.to });
    if (!c.suggestion) continue;
    n++;
    openings.add(c.suggestion.split(/\s+/).slice(0, 3).join(' ').toLowerCase());
    const toks = tokenize(r.to);
    const e = eventOf(toks, r.to);
    if (e) {
      withEvent++;
      if (e.content.some((w) => c.suggestion.toLowerCase().includes(w))) named++;
    }
  }
  return {
    n,
    distinctOpenings: openings.size / Math.max(1, n),
    withEvent,
    namesEvent: named / Math.max(1, withEvent),
  };
}

export function movesReport(dir: string) {
  const c = evalMovesCorpus();
  const sv = suggestionVariety();
  const e = evalEpitomeSteadiness(dir);
  const u = evalUcc(dir);
  const mm = evalMentalmanipMoves(dir);
  const ag = checkAgreement();
  const targets: [string, number, number][] = [
    ['defensive-vs-steady accuracy (frozen test)', c.accuracy, 0.92],
    ['move micro-F1 (frozen test)', c.microF1, 0.8],
    ['EPITOME Spearman of steadiness with ER+IP+EX', e.spearman, 0.4],
  ];
  const json = {
    frozenTest: {
      n: c.n,
      accuracy: +p3(c.accuracy),
      microF1: +p3(c.microF1),
      majority: +p3(c.majority),
      steadinessAuc: +p3(c.steadinessAuc),
      rulesOnly: { accuracy: +p3(c.rulesOnly.accuracy), microF1: +p3(c.rulesOnly.microF1) },
      perMove: c.perMove.map((m) => ({
        id: m.id,
        support: m.support,
        precision: +p3(m.precision),
        recall: +p3(m.recall),
        f1: +p3(m.f1),
      })),
    },
    epitome: {
      n: e.n,
      spearman: +p3(e.spearman),
      lengthSpearman: +p3(e.lengthSpearman),
      mostCommonScore: e.mode,
      mostCommonCount: e.modeN,
    },
    ucc: {
      healthy: { n: u.healthy.n, rate: +p3(u.healthy.rate) },
      byLabel: Object.fromEntries(
        Object.entries(u.byLabel).map(([k, v]) => [k, { n: v.n, rate: +p3(v.rate) }]),
      ),
    },
    mentalmanip: mm.map((m) => ({ ...m, recall: +p3(m.recall) })),
    agreement: ag && { n: ag.n, accuracy: +p3(ag.accuracy), microF1: +p3(ag.microF1) },
    suggestions: {
      n: sv.n,
      distinctOpenings: +p3(sv.distinctOpenings),
      withEvent: sv.withEvent,
      namesEvent: +p3(sv.namesEvent),
    },
    targets: targets.map(([name, v, goal]) => ({ name, value: +p3(v), goal, met: v >= goal })),
  };
  const rows: [string, number][] = [
    [`defensive-vs-steady accuracy (frozen test, n=${c.n})`, c.accuracy],
    ['move micro-F1 (frozen test)', c.microF1],
    ['steadiness AUC, steady vs not (frozen test)', c.steadinessAuc],
    [`EPITOME Spearman, steadiness vs ER+IP+EX (n=${e.n})`, e.spearman],
  ];
  const svg = bars(
    'check: F1 per move on the frozen test split',
    c.perMove.filter((m) => m.support > 0).map((m) => ({ label: `${m.id} (${m.support})`, value: m.f1 })),
    `micro-F1 ${c.microF1.toFixed(3)}`,
  );
  const md = `# check: evaluation

Generated by \`npm run eval\` or \`steady eval --data ../shared/data --task moves --write docs/eval\`; do not edit by hand.
The moves, their plain labels and the annotation guideline are in [docs/check.md](../check.md).

The frozen test split is 20% of the project's reply corpus (\`corpus/replies\`), stratified by whole-reply label, style and
first move, frozen (\`corpus/replies/test-ids.json\`) file by file before any rule or model was tuned on that file. EPITOME,
UCC and mentalmanip are public human-labelled sets, non-commercial: evaluation only, never trained on.

![F1 per move](moves-f1.svg)

**Disclosure.** Two choices were made after seeing frozen-test figures: blending steadiness with the whole-reply head (AUC
0.947 to 0.975), and taking the AnnoMI model out of \`check\` (micro-F1 0.629 to 0.636). The steadiness AUC and micro-F1 below
carry that optimism; every other choice was made on dev (\`scripts/moves-dev.ts\`).

## Targets

| target | measured | goal | met |
|---|---|---|---|
${targets.map(([name, v, goal]) => `| ${name} | ${p3(v)} | ≥ ${goal} | ${v >= goal ? 'yes' : '**no**'} |`).join('\n')}

## Frozen test split (${c.n} replies)

Defensive-vs-steady accuracy ${p3(c.accuracy)} (always answering the larger class: ${p3(c.majority)}); move micro-F1 ${p3(c.microF1)};
steadiness AUC (steady replies against the rest) ${p3(c.steadinessAuc)}. Rules alone: accuracy ${p3(c.rulesOnly.accuracy)},
micro-F1 ${p3(c.rulesOnly.microF1)}.

| move | support | precision | recall | F1 |
|---|---|---|---|---|
${c.perMove.map((m) => `| ${m.id} | ${m.support} | ${p3(m.precision)} | ${p3(m.recall)} | ${p3(m.f1)} |`).join('\n')}

## Agreement with a second annotator

${
  ag
    ? `A second annotator read ${ag.n} replies (a random sample of the corpus) from the guideline alone, under neutral ids, never
seeing the first labels or the rules (\`corpus/replies/agreement/second.jsonl\`): defensive-vs-steady agreement ${p3(ag.accuracy)},
move micro-F1 between the two ${p3(ag.microF1)}, both computed as check's figures above are. The targets sit below what two
careful readers reach.`
    : 'No second annotation yet.'
}

## Suggestions

Over the ${sv.n} frozen-test replies that answer a message and get a suggestion: distinct openings (first three words)
${p3(sv.distinctOpenings)}; of the ${sv.withEvent} whose message names something that happened, the suggestion names it in
${p3(sv.namesEvent)}.

## EPITOME (test pairs, ${e.n})

Spearman of steadiness with total empathy (ER+IP+EX): ${p3(e.spearman)}; response length alone: ${p3(e.lengthSpearman)}.
The most common steadiness is ${e.mode}, given to ${e.modeN} replies.

## UCC (test comments)

Share of comments with any defensive move: healthy ${p3(u.healthy.rate)} (n=${u.healthy.n}); ${Object.entries(
    u.byLabel,
  )
    .map(([k, v]) => `${k} ${p3(v.rate)} (n=${v.n})`)
    .join(', ')}.

## mentalmanip (test dialogues)

| technique | move | dialogues | recall |
|---|---|---|---|
${mm.map((m) => `| ${m.technique} | ${m.move} | ${m.n} | ${p3(m.recall)} |`).join('\n')}

A dialogue counts as found when any turn, read against the turn before it, makes the move. Film dialogue, not messages
between two people: a reach test, not a target.
`;
  return { json, rows, svg, md };
}

export { MOVE_IDS };
