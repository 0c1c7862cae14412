// steady eval: every task on its test split, next to its published reference and two baselines
// (majority class; an off-the-shelf JavaScript tool). Writes docs/eval (Markdown and SVG charts).

import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { check, DEFENSIVE_IDS, type ModelArtifact, SHIPPED_ARTIFACTS } from '@steady/engine';
// AnnoMI's model is scored here but not shipped in the lenses: read through the engine's models export
import annomiArt from '@steady/engine/models/annomi.json' with { type: 'json' };
import { esconv, esconvTurns } from './data.js';
import { f1Of } from './metrics.js';
import { bars, confusion } from './svg.js';
import { safetyReport } from './safety-report.js';
import { movesReport } from './moves-report.js';
import { hearReport } from './hear-report.js';
import { evalAnnomi, evalEpitome, evalEsconv, evalGoEmotions, evalPolarity, type Tick } from './tasks.js';

export const TASKS = ['goemotions', 'epitome', 'esconv', 'annomi', 'safety', 'moves', 'hear'] as const;
export type Task = (typeof TASKS)[number];

/** Published references. EPITOME's are the figures the project's issue quotes for the paper's RoBERTa bi-encoder. */
export const REFERENCES = {
  goemotions: { macroF1: 0.46, ekmanMacroF1: 0.64, source: 'BERT-base, Demszky et al., ACL 2020' },
  epitome: {
    er: { acc: 0.794, macroF1: 0.745 },
    ip: { acc: 0.84, macroF1: 0.626 },
    ex: { acc: 0.926, macroF1: 0.726 },
    source:
      'RoBERTa bi-encoder, Sharma et al., EMNLP 2020 (as quoted in the issue; not re-checked against the paper here)',
  },
  esconv: {
    acc: 0.6,
    source:
      "Steady's target (no published figure for classifying a given supporter utterance's strategy was available offline)",
  },
  annomi: { source: 'no published figure for this exact split was available offline' },
} as const;

const r3 = (x: number): number => Math.round(x * 1000) / 1000;

export interface EvalOptions {
  tasks?: readonly Task[];
  /** Where docs/eval goes; nothing is written when undefined. */
  write?: string;
  /** The project's labelled replies, for the alex baseline. */
  corpus?: string;
  tick?: Tick;
  log?: (line: string) => void;
}

export async function runEval(dir: string, o: EvalOptions = {}) {
  const tasks = o.tasks ?? TASKS;
  const json: Record<string, unknown> = {};
  const md: string[] = [];
  const svgs: Record<string, string> = {};
  const rows: string[][] = [];
  const row = (
    task: string,
    metric: string,
    ours: number,
    ref?: number,
    majority?: number,
    tool?: string,
  ): void => {
    rows.push([
      task,
      metric,
      ours.toFixed(3),
      ref === undefined ? '–' : ref.toFixed(3),
      ref ? (ours / ref).toFixed(2) : '–',
      majority === undefined ? '–' : majority.toFixed(3),
      tool ?? '–',
    ]);
  };
  const log = o.log ?? (() => {});

  if (tasks.includes('goemotions')) {
    log('goemotions: scoring the shipped model');
    const g = evalGoEmotions(dir, SHIPPED_ARTIFACTS.goemotions);
    const pol = await evalPolarity(dir, SHIPPED_ARTIFACTS.goemotions, g.probs, g.test);
    json.goemotions = {
      macroF1: r3(g.macroF1),
      ekmanMacroF1: r3(g.ekmanMacroF1),
      polarity: {
        n: pol.n,
        macroF1: r3(pol.ours.macroF1),
        vaderMacroF1: r3(pol.vader.macroF1),
        majorityMacroF1: r3(pol.majority.macroF1),
      },
      majority: { macroF1: r3(g.majority), ekmanMacroF1: r3(g.majorityEkman) },
    };
    row('GoEmotions', '28-way macro-F1', g.macroF1, REFERENCES.goemotions.macroF1, g.majority);
    row('GoEmotions', 'Ekman macro-F1', g.ekmanMacroF1, REFERENCES.goemotions.ekmanMacroF1, g.majorityEkman);
    row(
      'GoEmotions',
      `polarity macro-F1 (n=${pol.n})`,
      pol.ours.macroF1,
      undefined,
      pol.majority.macroF1,
      `VADER ${pol.vader.macroF1.toFixed(3)}`,
    );
    svgs['goemotions-f1.svg'] = bars(
      'GoEmotions test: F1 per emotion (shipped model)',
      [...g.perClass]
        .sort((a, b) => b.f1 - a.f1)
        .map((c) => ({ label: `${c.label} (${c.support})`, value: c.f1 })),
      `macro-F1 ${g.macroF1.toFixed(3)}; BERT-base reference 0.46`,
    );
    svgs['goemotions-ekman-f1.svg'] = bars(
      'GoEmotions test: F1 per Ekman group',
      g.ekmanPerClass.map((c) => ({ label: `${c.label} (${c.support})`, value: c.f1 })),
      `macro-F1 ${g.ekmanMacroF1.toFixed(3)}; BERT-base reference 0.64`,
    );
    svgs['polarity-confusion.svg'] = confusion(
      'GoEmotions polarity: ours',
      ['positive', 'negative', 'neutral'],
      pol.ours.confusion,
    );
    svgs['polarity-vader-confusion.svg'] = confusion(
      'GoEmotions polarity: VADER',
      ['positive', 'negative', 'neutral'],
      pol.vader.confusion,
    );
  }

  if (tasks.includes('epitome')) {
    log('epitome: fitting three research models in memory (non-commercial data, never written out)');
    const e = evalEpitome(dir, o.tick);
    const out: Record<string, unknown> = {};
    for (const m of ['er', 'ip', 'ex'] as const) {
      const ref = REFERENCES.epitome[m];
      out[m] = {
        acc: r3(e[m].acc),
        macroF1: r3(e[m].macroF1),
        majority: { acc: r3(e[m].majority.acc), macroF1: r3(e[m].majority.macroF1) },
      };
      row(`EPITOME ${m.toUpperCase()}`, 'accuracy', e[m].acc, ref.acc, e[m].majority.acc);
      row(`EPITOME ${m.toUpperCase()}`, 'macro-F1', e[m].macroF1, ref.macroF1, e[m].majority.macroF1);
      svgs[`epitome-${m}-confusion.svg`] = confusion(
        `EPITOME ${m.toUpperCase()} test (levels 0 none, 1 weak, 2 strong)`,
        ['0', '1', '2'],
        e[m].confusion,
      );
    }
    json.epitome = out;
  }

  if (tasks.includes('esconv')) {
    log('esconv: fitting a research model in memory, and reading supporter turns with check');
    const s = evalEsconv(dir, o.tick);
    const moves = esconvMoves(dir);
    json.esconv = {
      acc: r3(s.acc),
      macroF1: r3(s.macroF1),
      majority: { acc: r3(s.majority.acc), macroF1: r3(s.majority.macroF1) },
      moves: moves.json,
    };
    row('ESConv strategy', 'accuracy', s.acc, REFERENCES.esconv.acc, s.majority.acc);
    row('ESConv strategy', 'macro-F1', s.macroF1, undefined, s.majority.macroF1);
    svgs['esconv-confusion.svg'] = confusion(
      'ESConv test: supporter strategy',
      s.perClass.map((c) => c.label),
      s.confusion,
    );
    svgs['esconv-moves.svg'] = bars(
      'ESConv test: check moves against mapped strategies (F1; rules + models)',
      moves.items,
      'tick: rules alone',
    );
    md.push(moves.md);
  }

  if (tasks.includes('annomi')) {
    log('annomi: scoring the shipped model');
    const a = evalAnnomi(dir, annomiArt as unknown as ModelArtifact);
    json.annomi = {
      acc: r3(a.acc),
      macroF1: r3(a.macroF1),
      reflection: { acc: r3(a.reflection.acc), macroF1: r3(a.reflection.macroF1), n: a.reflection.n },
      majority: { acc: r3(a.majority.acc), macroF1: r3(a.majority.macroF1) },
    };
    row('AnnoMI behaviour', 'accuracy', a.acc, undefined, a.majority.acc);
    row('AnnoMI behaviour', 'macro-F1', a.macroF1, undefined, a.majority.macroF1);
    row(
      'AnnoMI reflection',
      'simple vs complex macro-F1',
      a.reflection.macroF1,
      undefined,
      a.reflection.majority.macroF1,
    );
    svgs['annomi-confusion.svg'] = confusion(
      'AnnoMI test: therapist behaviour',
      a.perClass.map((c) => c.label),
      a.confusion,
    );
  }

  // the tasks on the project's own corpora: each writes a page of its own beside README.md
  const pages = [
    {
      task: 'safety',
      name: 'Safety',
      heading: 'Safety',
      log: 'hear on the frozen test split of corpus/safety, cssrs-reddit and mentalmanip',
      page: 'safety.md',
      chart: 'safety-recall.svg',
      link: 'Per category and level, the hard negatives and the public sets',
      run: () => safetyReport(dir),
    },
    {
      task: 'moves',
      name: 'check',
      heading: 'check',
      log: 'check on the frozen test split of corpus/replies, EPITOME, UCC and mentalmanip',
      page: 'moves.md',
      chart: 'moves-f1.svg',
      link: 'Per move, EPITOME, UCC and mentalmanip',
      run: () => movesReport(dir),
    },
    {
      task: 'hear',
      name: 'hear',
      heading: 'hear and soften',
      log: 'feelings and needs on the frozen test split of corpus/messages, and soften over it',
      page: 'hear.md',
      chart: undefined,
      link: 'Feelings, needs and soften on the message corpus',
      run: () => hearReport(),
    },
  ] as const;
  for (const p of pages) {
    if (!tasks.includes(p.task)) continue;
    log(`${p.task}: ${p.log}`);
    const r: { json: unknown; rows: [string, number][]; md: string; svg?: string } = p.run();
    json[p.task] = r.json;
    for (const [metric, v] of r.rows) row(p.name, metric, v);
    if (r.svg && p.chart) svgs[p.chart] = r.svg;
    if (o.write) {
      mkdirSync(o.write, { recursive: true });
      writeFileSync(join(o.write, p.page), r.md);
    }
    md.push(`### ${p.heading}\n\n${p.link}: [${p.page}](${p.page}).`);
  }

  const alex = o.corpus && existsSync(o.corpus) ? await alexBaseline(o.corpus) : undefined;
  if (alex) {
    json.defensive = alex.json;
    md.push(alex.md);
  }

  const table = [
    '| task | metric | Steady | reference | ratio | majority | off-the-shelf |',
    '|---|---|---|---|---|---|---|',
    ...rows.map((r) => `| ${r.join(' | ')} |`),
  ].join('\n');
  // a run of the safety or moves task alone writes its own page only: README.md holds the whole run
  const own: readonly string[] = pages.map((p) => p.task);
  if (o.write && tasks.some((t) => !own.includes(t))) writeReport(o.write, table, md, svgs, tasks, json);
  else if (o.write)
    for (const p of pages) {
      const chart = p.chart ? svgs[p.chart] : undefined;
      if (p.chart && chart) writeFileSync(join(o.write, p.chart), chart);
    }
  return { json, table };
}

/** check's moves on ESConv supporter turns, against strategies mapped onto moves, with and without the models. */
function esconvMoves(dir: string) {
  const map: Record<string, string> = {
    Question: 'explore',
    'Restatement or Paraphrasing': 'reflect',
    'Reflection of feelings': 'reflect',
    'Affirmation and Reassurance': 'validate',
    'Providing Suggestions': 'fix',
  };
  const ids = ['explore', 'reflect', 'validate', 'fix'];
  const turns = esconvTurns(esconv(dir, 'test'));
  const score = (models: boolean) => {
    const c = Object.fromEntries(ids.map((id) => [id, { tp: 0, fp: 0, fn: 0 }]));
    for (const t of turns) {
      const found = new Set(
        check(t.text, { to: t.to || undefined, models }).moves.map((m) => m.id as string),
      );
      const gold = map[t.strategy];
      for (const id of ids) {
        if (found.has(id)) gold === id ? c[id]!.tp++ : c[id]!.fp++;
        else if (gold === id) c[id]!.fn++;
      }
    }
    return Object.fromEntries(ids.map((id) => [id, f1Of(c[id]!.tp, c[id]!.fp, c[id]!.fn)]));
  };
  const rules = score(false);
  const both = score(true);
  const json = Object.fromEntries(
    ids.map((id) => [
      id,
      {
        precision: r3(both[id]!.precision),
        recall: r3(both[id]!.recall),
        rulesOnly: { precision: r3(rules[id]!.precision), recall: r3(rules[id]!.recall) },
      },
    ]),
  );
  const md = [
    `### check on ESConv supporter turns (${turns.length} test turns)`,
    '',
    'Strategies mapped onto moves: Question → explore; Restatement or Paraphrasing and Reflection of feelings → reflect; Affirmation and Reassurance → validate; Providing Suggestions → fix.',
    '',
    '| move | precision | recall | precision (rules alone) | recall (rules alone) |',
    '|---|---|---|---|---|',
    ...ids.map(
      (id) =>
        `| \`${id}\` | ${both[id]!.precision.toFixed(3)} | ${both[id]!.recall.toFixed(3)} | ${rules[id]!.precision.toFixed(3)} | ${rules[id]!.recall.toFixed(3)} |`,
    ),
    '',
    '![check moves on ESConv](esconv-moves.svg)',
  ].join('\n');
  return { json, md, items: ids.map((id) => ({ label: id, value: both[id]!.f1, ref: rules[id]!.f1 })) };
}

/** Is a reply defensive? check against alex (insensitive-language linter), on the project's labelled replies. */
async function alexBaseline(file: string) {
  const { text: alex } = await import('alex');
  const DEF = new Set<string>(DEFENSIVE_IDS);
  const rows = readFileSync(file, 'utf8')
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => JSON.parse(l) as { reply: string; to?: string; moves: string[] });
  const c = { steady: { tp: 0, fp: 0, fn: 0 }, alex: { tp: 0, fp: 0, fn: 0 } };
  for (const r of rows) {
    const gold = r.moves.some((m) => DEF.has(m));
    const ours = check(r.reply, { to: r.to }).moves.some((m) => m.kind === 'defensive');
    const theirs = alex(r.reply).messages.length > 0;
    for (const [k, p] of [
      ['steady', ours],
      ['alex', theirs],
    ] as const) {
      if (p) gold ? c[k].tp++ : c[k].fp++;
      else if (gold) c[k].fn++;
    }
  }
  const s = f1Of(c.steady.tp, c.steady.fp, c.steady.fn);
  const a = f1Of(c.alex.tp, c.alex.fp, c.alex.fn);
  return {
    json: {
      n: rows.length,
      steady: { precision: r3(s.precision), recall: r3(s.recall), f1: r3(s.f1) },
      alex: { precision: r3(a.precision), recall: r3(a.recall), f1: r3(a.f1) },
    },
    md: [
      `### Is a reply defensive? Steady's check against alex (${rows.length} labelled replies in corpus/replies.jsonl)`,
      '',
      "The corpus is the project's own development set, labelled by the rule authors: Steady's figures on it are optimistic. alex flags insensitive wording, not defensiveness; it is here to show the distance from an off-the-shelf linter.",
      '',
      '| tool | precision | recall | F1 |',
      '|---|---|---|---|',
      `| Steady check | ${s.precision.toFixed(3)} | ${s.recall.toFixed(3)} | ${s.f1.toFixed(3)} |`,
      `| alex | ${a.precision.toFixed(3)} | ${a.recall.toFixed(3)} | ${a.f1.toFixed(3)} |`,
    ].join('\n'),
  };
}

function writeReport(
  out: string,
  table: string,
  sections: string[],
  svgs: Record<string, string>,
  tasks: readonly Task[],
  // biome-ignore lint/suspicious/noExplicitAny: as in targets()
  json: Record<string, any>,
): void {
  mkdirSync(out, { recursive: true });
  for (const [name, svg] of Object.entries(svgs)) writeFileSync(join(out, name), svg);
  const img = (f: string, alt: string): string => (svgs[f] ? `![${alt}](${f})\n` : '');
  const text = `# Evaluation

Generated by \`npm run eval\` (\`steady eval --data ../shared/data --write docs/eval\`) from the test splits; do not edit by hand.
Tasks in this run: ${tasks.join(', ')}. Shipped models are read from packages/engine/models (AnnoMI's is scored here but no longer feeds check); EPITOME and ESConv
models are research models fit in memory from their train splits (tuned on dev) and never written out, because those datasets are
non-commercial. Ratio = Steady / reference.

${table}

References: GoEmotions, ${REFERENCES.goemotions.source}. EPITOME, ${REFERENCES.epitome.source}. ESConv, ${REFERENCES.esconv.source}. AnnoMI, ${REFERENCES.annomi.source}.
Majority: always the most frequent class ("neutral" for GoEmotions). Off-the-shelf: VADER (vader-sentiment) on the same comments, compound ≥ 0.05 positive, ≤ −0.05 negative, else neutral.

${img('goemotions-f1.svg', 'GoEmotions F1 per emotion')}${img('goemotions-ekman-f1.svg', 'GoEmotions F1 per Ekman group')}${img('polarity-confusion.svg', 'Polarity confusion, ours')}${img('polarity-vader-confusion.svg', 'Polarity confusion, VADER')}
${img('epitome-er-confusion.svg', 'EPITOME ER confusion')}${img('epitome-ip-confusion.svg', 'EPITOME IP confusion')}${img('epitome-ex-confusion.svg', 'EPITOME EX confusion')}
${img('esconv-confusion.svg', 'ESConv strategy confusion')}${img('annomi-confusion.svg', 'AnnoMI behaviour confusion')}
${sections.join('\n\n')}

## Targets

${targets(json)}

See [methods.md](methods.md) for how each recipe was chosen (on dev).
`;
  writeFileSync(join(out, 'README.md'), text);
}

/** The targets, met or missed, from the numbers just computed; the next idea for each miss. */
// biome-ignore lint/suspicious/noExplicitAny: the figures are read by path from the JSON each task returned
function targets(j: Record<string, any>): string {
  const rows: [string, number | undefined, number, string][] = [
    [
      'GoEmotions 28-way macro-F1 ≥ 0.46',
      j.goemotions?.macroF1,
      0.46,
      "a fastText-style bag of embeddings trained on GoEmotions train, or distilling a transformer's soft labels into this linear model",
    ],
    [
      'GoEmotions Ekman macro-F1 ≥ 0.60',
      j.goemotions?.ekmanMacroF1,
      0.6,
      'a model trained directly on the Ekman groups rather than grouping the 28-way probabilities',
    ],
    [
      'EPITOME ER macro-F1 within 5 points of 0.745',
      j.epitome?.er.macroF1,
      0.695,
      'rationale spans as extra supervision; the weak level (1) is where a bag of n-grams fails',
    ],
    [
      'EPITOME IP macro-F1 within 5 points of 0.626',
      j.epitome?.ip.macroF1,
      0.576,
      'features of overlap between seeker post and response (interpretation restates the seeker)',
    ],
    [
      'EPITOME EX macro-F1 within 5 points of 0.726',
      j.epitome?.ex.macroF1,
      0.676,
      'question-form features per sentence; strong explorations are rare (71 of 590)',
    ],
    [
      'ESConv strategy accuracy ≥ 0.60',
      j.esconv?.acc,
      0.6,
      'the previous supporter strategy as a feature (strategies follow each other), and the full dialogue context',
    ],
  ];
  const lines = ['| target | measured | met |', '|---|---|---|'];
  const next: string[] = [];
  for (const [name, v, goal, idea] of rows) {
    if (v === undefined) continue;
    const met = v >= goal - 1e-9;
    lines.push(`| ${name} | ${v.toFixed(3)} | ${met ? 'yes' : '**no**'} |`);
    if (!met)
      next.push(
        `- ${name}: missed. Tried: the recipes in methods.md (feature sets, regularization, pruning). Best next idea: ${idea}.`,
      );
  }
  return lines.join('\n') + (next.length ? `\n\n${next.join('\n')}` : '');
}
