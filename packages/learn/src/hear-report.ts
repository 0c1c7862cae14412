// docs/eval/hear.md: hear's feelings and needs on the frozen test split of the message corpus, against the
// constant guess, and soften's keeping of meaning over the same messages.

import { hear, soften, tokenize, type HearResult } from '@steady/engine';
import { evalHearCorpus, hearAgreement, messageSplit } from './messages.js';

const p3 = (x: number): string => x.toFixed(3);
const BLAME = new Set(['absolute', 'label', 'faux_feeling', 'accusing_question']);

/**
 * Soften over the frozen test messages that name an event: the softened text must keep the original's top
 * need (as hear reads it), the event's content words, and carry no absolute, label, faux feeling or
 * accusing question.
 */
/**
 * Whether a start-up keeps what happened: at least half of the content words of the event the message's
 * author named (longer than three letters, not a pronoun or an absolute). Null when the event names none.
 */
export function eventWordsKept(event: string | undefined, softened: string): boolean | null {
  const words = (event ?? '')
    .toLowerCase()
    .split(/\W+/)
    .filter(
      (w) =>
        w.length > 3 &&
        !['your', 'you', 'that', 'this', 'with', 'have', 'about', 'from', 'never', 'always'].includes(w),
    );
  if (!words.length) return null;
  const soft = new Set(tokenize(softened).map((t) => t.norm));
  return words.filter((w) => soft.has(w)).length >= Math.ceil(words.length / 2);
}

export function evalSoften() {
  const test = messageSplit().test.filter((r) => r.needs.length);
  let kept = 0,
    contentKept = 0,
    withEvent = 0,
    blameFree = 0,
    n = 0,
    flagged = 0;
  const openings = new Set<string>();
  for (const r of test) {
    const s = soften(r.text);
    if (s.safety) {
      flagged++;
      continue;
    }
    n++;
    const h: HearResult = hear(s.softened);
    const original = hear(r.text);
    if (original.needs[0] && h.needs.slice(0, 2).some((x) => x.id === original.needs[0]!.id)) kept++;
    if (!h.cues.some((c) => BLAME.has(c.id))) blameFree++;
    const eventKept = eventWordsKept(r.event, s.softened);
    if (eventKept !== null) {
      withEvent++;
      if (eventKept) contentKept++;
    }
    openings.add(s.softened.split(/\s+/).slice(0, 3).join(' ').toLowerCase());
  }
  return {
    n,
    flagged,
    needKept: kept / Math.max(1, n),
    blameFree: blameFree / Math.max(1, n),
    eventContentKept: contentKept / Math.max(1, withEvent),
    withEvent,
    distinctOpenings: openings.size / Math.max(1, n),
  };
}

/** How varied hear's replies are over the frozen test messages: distinct first three words per kind. */
export function replyVariety() {
  const test = messageSplit().test;
  const kinds: Set<string>[] = [new Set(), new Set(), new Set()];
  let n = 0;
  for (const r of test) {
    const h = hear(r.text);
    if (h.safety) continue;
    n++;
    h.replies.forEach((x, k) => kinds[k]?.add(x.split(/\s+/).slice(0, 3).join(' ').toLowerCase()));
  }
  return { n, distinct: kinds.map((k) => k.size / Math.max(1, n)) };
}

export function hearReport() {
  const models = evalHearCorpus(true);
  const rules = evalHearCorpus(false);
  const s = evalSoften();
  const v = replyVariety();
  const ag = hearAgreement();
  const targets: [string, number, number][] = [
    ['feelings top-1 (frozen test)', models.feelings.top1, 0.8],
    ['needs top-1 (frozen test)', models.needs.top1, 0.75],
    ['soften: meaning kept (top need and event words)', Math.min(s.needKept, s.eventContentKept), 0.95],
    ['soften: blame-free', s.blameFree, 0.98],
  ];
  const json = {
    frozenTest: {
      n: models.n,
      feelings: {
        top1: +p3(models.feelings.top1),
        top3: +p3(models.feelings.top3),
        constant: +p3(models.feelings.constant),
        rulesOnlyTop1: +p3(rules.feelings.top1),
        empty: models.feelings.empty,
      },
      needs: {
        top1: +p3(models.needs.top1),
        top3: +p3(models.needs.top3),
        constant: +p3(models.needs.constant),
        rulesOnlyTop1: +p3(rules.needs.top1),
        empty: models.needs.empty,
      },
    },
    soften: {
      n: s.n,
      flagged: s.flagged,
      needKept: +p3(s.needKept),
      eventContentKept: +p3(s.eventContentKept),
      withEvent: s.withEvent,
      blameFree: +p3(s.blameFree),
      distinctOpenings: +p3(s.distinctOpenings),
    },
    replies: { n: v.n, distinctOpenings: v.distinct.map((x) => +p3(x)) },
    agreement: ag && {
      n: ag.n,
      feelingsTop1: +p3(ag.feelingsTop1),
      needsTop1: +p3(ag.needsTop1),
      feelingsInThree: +p3(ag.feelingsInThree),
      needsInThree: +p3(ag.needsInThree),
      testN: ag.testN,
      secondOnTest: {
        feelingsTop1: +p3(ag.secondOnTest.feelingsTop1),
        needsTop1: +p3(ag.secondOnTest.needsTop1),
      },
      hearOnTest: { feelingsTop1: +p3(ag.hearOnTest.feelingsTop1), needsTop1: +p3(ag.hearOnTest.needsTop1) },
    },
    targets: targets.map(([name, value, goal]) => ({ name, value: +p3(value), goal, met: value >= goal })),
  };
  const rows: [string, number][] = [
    [`feelings top-1 (frozen test, n=${models.n})`, models.feelings.top1],
    ['needs top-1 (frozen test)', models.needs.top1],
    ['soften need kept', s.needKept],
  ];
  const md = `# hear and soften: evaluation

Generated by \`npm run eval\` or \`steady eval --data ../shared/data --task hear --write docs/eval\`; do not edit by hand.
Feelings, needs and the annotation guideline: [docs/hear.md](../hear.md).

The frozen test split is 20% of the project's message corpus (\`corpus/messages\`), stratified by first feeling and style,
frozen (\`corpus/messages/test-ids.json\`) file by file before training on it. Top-1: the first feeling (need) \`hear\` offers
is the annotators' first; top-3: the annotators' first is among \`hear\`'s first three. The corpus spreads every feeling and
need about evenly, so the constant guess is low here; in everyday messages hurt and anger are far more common.

## Targets

| target | measured | goal | met |
|---|---|---|---|
${targets.map(([name, v, goal]) => `| ${name} | ${p3(v)} | ≥ ${goal} | ${v >= goal ? 'yes' : '**no**'} |`).join('\n')}

## Frozen test split (${models.n} messages with feelings and needs)

| | top-1 | top-3 | constant guess | lexicons and GoEmotions alone, top-1 | no reading |
|---|---|---|---|---|---|
| feelings | ${p3(models.feelings.top1)} | ${p3(models.feelings.top3)} | ${p3(models.feelings.constant)} | ${p3(rules.feelings.top1)} | ${models.feelings.empty} |
| needs | ${p3(models.needs.top1)} | ${p3(models.needs.top3)} | ${p3(models.needs.constant)} | ${p3(rules.needs.top1)} | ${models.needs.empty} |

## Agreement with a second annotator

${
  ag
    ? `A second annotator labelled ${ag.n} messages with feelings (a random sample of the corpus) from the guideline alone,
under neutral ids, never seeing the first labels or the rules (\`corpus/messages/agreement/second.jsonl\`).

| | two annotators, top-1 | the first's first among the second's three |
|---|---|---|
| feelings | ${p3(ag.feelingsTop1)} | ${p3(ag.feelingsInThree)} |
| needs | ${p3(ag.needsTop1)} | ${p3(ag.needsInThree)} |

Two careful readers name the same first feeling about this often: a top-1 goal above it asks the model to agree
with one annotator more than a second annotator does. On the ${ag.testN} sampled messages in the frozen test split,
the second annotator's top-1 is ${p3(ag.secondOnTest.feelingsTop1)} (feelings) and ${p3(ag.secondOnTest.needsTop1)} (needs); \`hear\`'s is
${p3(ag.hearOnTest.feelingsTop1)} and ${p3(ag.hearOnTest.needsTop1)} (a small sample: read it beside the full split above).`
    : 'No second annotation yet.'
}

## soften over the same messages (${s.n}; ${s.flagged} flagged for safety get help instead)

- The softened text keeps the original's top need (among \`hear\`'s first two on the softened text): ${p3(s.needKept)}.
- It keeps at least half of the event's content words, where the annotators wrote one (${s.withEvent}): ${p3(s.eventContentKept)}.
- It carries no absolute, label, faux feeling or accusing question: ${p3(s.blameFree)}.
- Distinct openings (first three words): ${p3(s.distinctOpenings)}.

## hear's replies

Distinct openings per kind of reply over ${v.n} messages (reflect, validate, explore): ${v.distinct.map(p3).join(', ')}.
`;
  return { json, rows, md };
}
