// docs/rules.md, generated from the data files (npm run rules): every rule's name (what --ignore and
// .steadyrc.json take), its id, the plain label, why it matters, what to say instead, and its examples.
// A test fails when the committed table and the data disagree, as retext-equality's rules table does.

import { data } from './data.js';

const cell = (s: string | undefined): string => (s ?? '').replace(/\|/g, '\\|').replace(/\s+/g, ' ').trim();
const quote = (xs: readonly string[], n: number): string =>
  xs
    .slice(0, n)
    .map((x) => `“${cell(x)}”`)
    .join('<br>');

export function rulesTable(): string {
  const out: string[] = [
    '# Rules',
    '',
    '<!-- Generated from packages/engine/data by `npm run rules`; edit the data, not this page. -->',
    '',
    'Each rule names a construction, with examples that must and must not match (run as tests).',
    "A **name** is what `--ignore`, the API's `options.ignore` and `.steadyrc.json` take to silence one rule;",
    'a cue or move **id** silences every rule of that id. Safety ids cannot be silenced, only one safety rule by its name.',
    '',
  ];
  const cues = data.cues;
  out.push(
    '## Cues (hear)',
    '',
    `${cues.rules.length} rules.`,
    '',
    '| name | id | label | why | matches | does not match |',
    '|---|---|---|---|---|---|',
  );
  for (const r of cues.rules)
    out.push(
      `| \`${r.name}\` | \`${r.id}\` | ${cell(cues.labels[r.id])} | ${cell(r.note ?? cues.notes[r.id])} | ${quote(r.match, 2)} | ${quote(r.noMatch, 1)} |`,
    );
  const moves = data.moves;
  out.push(
    '',
    '## Moves (check)',
    '',
    `${moves.rules.length} rules. Defensive moves carry why they land badly and what to say instead.`,
    '',
    '| name | id | kind | label | why | instead | matches | does not match |',
    '|---|---|---|---|---|---|---|---|',
  );
  for (const r of moves.rules) {
    const info = moves.ids[r.id];
    out.push(
      `| \`${r.name}\` | \`${r.id}\` | ${info.kind} | ${cell(info.label)} | ${cell(r.why ?? info.why)} | ${cell(r.instead ?? info.instead)} | ${quote(r.match, 2)} | ${quote(r.noMatch, 1)} |`,
    );
  }
  const safety = data.safety;
  out.push(
    '',
    '## Safety (hear, soften)',
    '',
    `${safety.rules.length} rules, by the taxonomy in docs/safety.md. A learned model adds recall beside them.`,
    '',
    '| name | id | sub | level | cancelled by | matches | does not match |',
    '|---|---|---|---|---|---|---|',
  );
  for (const r of safety.rules)
    out.push(
      `| \`${r.name}\` | \`${r.id}\` | ${r.sub} | ${r.level} | ${cell((r.contexts ?? []).join(', ')) || '—'} | ${quote(r.match, 2)} | ${quote(r.noMatch, 1)} |`,
    );
  return `${out.join('\n')}\n`;
}
