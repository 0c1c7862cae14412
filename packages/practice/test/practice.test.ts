import { test } from 'node:test';
import assert from 'node:assert/strict';
import { check } from '@steady/engine';
import repairs from '../data/repair.json' with { type: 'json' };
import {
  RELATIONSHIPS,
  TREND_MIN,
  trendOf,
  attemptOf,
  branchOf,
  listing,
  progress,
  repairOf,
  respond,
  scenario,
  scenarios,
  start,
  stepsOf,
  suggest,
  validate,
  validateAll,
  type Attempt,
  type Scenario,
} from '@steady/practice';

const invisible = scenario('invisible')!;
const play = (s: Scenario, replies: string[]) => {
  let session = start(s);
  const out = [];
  for (const r of replies) {
    const checked = check(r, { to: session.transcript.at(-1)!.text });
    const step = respond(s, session, r, checked);
    out.push(step.feedback);
    session = step.session;
  }
  return { session, feedback: out };
};

test('the library: at least 60 valid scenarios over every relationship, the essay four among them', () => {
  assert.deepEqual(validateAll(scenarios as unknown[]), []);
  assert.ok(scenarios.length >= 60, `${scenarios.length} scenarios`);
  for (const r of RELATIONSHIPS)
    assert.ok(scenarios.filter((s) => s.relationship === r).length >= 8, `${r} has too few scenarios`);
  const essay = scenarios.filter((s) => s.source === 'essay').map((s) => s.opening.say);
  for (const line of [
    "You don't understand me.",
    "You're not really here.",
    'I feel invisible',
    'I feel scared',
  ]) {
    assert.ok(
      essay.some((say) => say.startsWith(line)),
      `the essay's "${line}" is missing`,
    );
  }
  const reactions = new Set(scenarios.flatMap((s) => s.turns.map((t) => t.defensive.reaction)));
  assert.deepEqual([...reactions].sort(), ['escalate', 'withdraw']);
  assert.deepEqual(
    listing({ relationship: 'coworkers' }).map((x) => Object.keys(x)),
    listing({ relationship: 'coworkers' }).map(() => ['id', 'title', 'relationship']),
  );
});

test('the schema names what is wrong and where', () => {
  const bad = structuredClone(invisible) as unknown as Record<string, unknown>;
  (bad.turns as unknown[]).length = 2;
  bad.relationship = 'cousins';
  (bad.opening as Record<string, unknown>).model = '';
  const errors = validate(bad);
  assert.ok(errors.some((e) => e.includes('turns must list at least 3')));
  assert.ok(errors.some((e) => e.includes('relationship must be one of')));
  assert.ok(errors.some((e) => e.includes('opening.model must be a non-empty string')));
  const reaction = structuredClone(invisible) as Scenario;
  (reaction.turns[1]!.defensive as { reaction: string }).reaction = 'sulk';
  assert.deepEqual(validate(reaction), [
    'scenario invisible.turns[1].defensive.reaction must be escalate or withdraw',
  ]);
  assert.deepEqual(validateAll([invisible, invisible]), ['duplicate scenario id "invisible"']);
  assert.ok(validate(null).length === 1 && validate('x')[0]!.includes('must be an object'));
  assert.ok(validate({ ...invisible, extra: 1 }).some((e) => e.includes('unknown field "extra"')));
});

// The reviewed rules alone: the whole-reply head learns from these very replies (learn/src/replies.ts), so
// with the models on this would test what it memorised. How the models read them is in docs/eval/moves.md.
test("every model reply in the library passes the engine's own rules as steady", () => {
  const misses: string[] = [];
  for (const s of scenarios) {
    const lines = [s.opening, ...s.turns.flatMap((t) => [t.steady, t.defensive])];
    for (const l of lines) {
      const c = check(l.model, { to: l.say, models: false });
      if (branchOf(c).branch !== 'steady')
        misses.push(`${s.id}: "${l.model}" scored ${c.steadiness} (${c.moves.map((m) => m.id).join(', ')})`);
    }
  }
  assert.deepEqual(misses, []);
});

test('a defensive reply leads into the escalation branch; a steady one lets them open up', () => {
  const { feedback, session } = play(invisible, ["I was only trying to help, you're overreacting."]);
  const f = feedback[0]!;
  assert.equal(f.branch, 'defensive');
  assert.equal(f.reaction, 'escalate');
  assert.equal(f.next, invisible.turns[0]!.defensive.say);
  assert.deepEqual(
    f.moves
      .filter((m) => m.kind === 'defensive')
      .map((m) => m.id)
      .sort(),
    ['justify', 'minimize'],
  );
  assert.ok(f.steadiness < 40, `steadiness ${f.steadiness}`);
  assert.equal(f.beneath, invisible.opening.beneath);
  assert.equal(f.model, invisible.opening.model);
  assert.match(f.reason, /justify|minimize/);
  assert.equal(session.from, 'defensive');

  const open = play(invisible, ["It sounds like you've been feeling alone here. Can you tell me more?"])
    .feedback[0]!;
  assert.equal(open.branch, 'steady');
  assert.equal(open.reaction, 'open');
  assert.equal(open.next, invisible.turns[0]!.steady.say);
  assert.ok(open.steadiness >= 80, `steadiness ${open.steadiness}`);
});

test('a withdrawing turn, and a flat reply that defends nothing yet reaches nobody', () => {
  const w = play(invisible, [
    'It sounds like you feel alone. Tell me more?',
    'Whatever. I am done talking about this.',
  ]).feedback[1]!;
  assert.equal(w.branch, 'defensive');
  assert.equal(w.reaction, 'withdraw');
  assert.equal(w.next, invisible.turns[1]!.defensive.say);
  const flat = play(invisible, ["I'll be home at six."]).feedback[0]!;
  assert.equal(flat.branch, 'defensive');
  assert.equal(flat.moves.length, 0);
  assert.match(flat.reason, /nothing reaches them/);
});

test('a whole conversation: every step answered, their last words, and no reply after the end', () => {
  const steady = [
    "It sounds like you've felt alone. I'm here.",
    'That sounds so lonely. Tell me more?',
    'I miss that too. What would help?',
    "Yes, let's do that. Thank you for telling me.",
  ];
  const { session, feedback } = play(invisible, steady);
  assert.equal(feedback.length, stepsOf(invisible));
  assert.ok(session.done);
  assert.equal(feedback.at(-1)!.next, invisible.close.steady);
  assert.equal(session.transcript.length, 1 + 2 * steady.length);
  assert.throws(() => respond(invisible, session, 'one more', check('one more')), /ended/);
  assert.throws(() => respond(invisible, start(invisible), '   ', check('x')), /write a reply/);
});

test('progress: steadiness over time, the moves leaned on most, scenarios finished', () => {
  const attempts: Attempt[] = [];
  let n = 0;
  const record = (s: Scenario, replies: string[]) => {
    let session = start(s);
    for (const r of replies) {
      const step = respond(s, session, r, check(r, { to: session.transcript.at(-1)!.text }));
      session = step.session;
      attempts.push(attemptOf(session, step.feedback, new Date(Date.UTC(2026, 10, 1, 0, n)), `a${n++}`));
    }
  };
  record(invisible, [
    "I was only trying to help, you're overreacting.",
    'That is not true. I was only trying to help.',
    'Whatever.',
    'Calm down.',
  ]);
  record(scenario('scared')!, ["It sounds like you're scared. I'm here. Tell me more?"]);
  const p = progress(attempts, scenarios);
  assert.equal(p.attempts, 5);
  assert.equal(p.scenarios, 2);
  assert.equal(p.finished, 1);
  assert.equal(p.series.length, 5);
  assert.equal(p.leanOn[0]!.id, 'justify');
  assert.equal(p.leanOn[0]!.count, 2);
  assert.ok(p.leanOn.some((m) => m.id === 'minimize') && p.leanOn.some((m) => m.id === 'withdraw'));
  assert.ok(p.last5! > p.first5! - 1 && p.series.at(-1)!.steadiness > 60);
  assert.deepEqual(p.trend, trendOf(p.series.map((x) => x.steadiness)));
  assert.equal(progress([], scenarios).mean, null);
  // suggest: a scenario not yet begun, never one in progress while fresh ones remain
  for (let i = 0; i < 20; i++) assert.ok(!['invisible', 'scared'].includes(suggest(scenarios, attempts).id));
});

test('a steady reply right after a defensive one: they notice the change before they go on', () => {
  // pushed harder (escalate), then met: a line from the escalate repairs, then the steady follow-up
  const esc = play(invisible, [
    "I was only trying to help, you're overreacting.",
    "You're right, I got defensive. I'm listening now. What has it been like?",
  ]).feedback;
  assert.equal(esc[0]!.reaction, 'escalate');
  const repair = repairOf(invisible, 1, 'escalate');
  assert.ok(repairs.escalate.includes(repair));
  assert.equal(esc[1]!.next, `${repair} ${invisible.turns[1]!.steady.say}`);
  // pulled away (withdraw), then reached again
  const wd = play(invisible, [
    'It sounds like you feel alone. Tell me more?',
    'Whatever. I am done talking about this.',
    "I'm sorry, I shut down. I do want to hear it. What's it been like?",
  ]).feedback;
  assert.equal(wd[1]!.reaction, 'withdraw');
  assert.equal(wd[2]!.branch, 'steady');
  assert.ok(
    repairs.withdraw.some((r) => wd[2]!.next === `${r} ${invisible.turns[2]!.steady.say}`),
    wd[2]!.next,
  );
  // the same path reads the same every time; steady after steady carries no repair
  assert.equal(
    play(invisible, [
      "I was only trying to help, you're overreacting.",
      "You're right, I got defensive. I'm listening now. What has it been like?",
    ]).feedback[1]!.next,
    esc[1]!.next,
  );
  assert.equal(wd[1]!.next, invisible.turns[1]!.defensive.say);
  assert.equal(
    play(invisible, ["It sounds like you've felt alone. I'm here.", 'That sounds so lonely. Tell me more?'])
      .feedback[1]!.next,
    invisible.turns[1]!.steady.say,
  );
  // every repair line is short and different
  for (const k of ['escalate', 'withdraw'] as const) {
    assert.ok(repairs[k].length >= 4 && new Set(repairs[k]).size === repairs[k].length);
    for (const r of repairs[k]) assert.ok(r.length > 0 && r.length <= 60, r);
  }
});

test('progress with few replies: no trend under four, then halves that never share a reply, then fives', () => {
  assert.equal(trendOf([]), null);
  assert.equal(trendOf([10, 90, 50]), null, 'three replies say nothing about a change');
  assert.deepEqual(trendOf([10, 20, 80, 90]), { window: 2, first: 15, last: 85 });
  assert.deepEqual(
    trendOf([10, 20, 99, 80, 90]),
    { window: 2, first: 15, last: 85 },
    'the middle one sits out',
  );
  assert.deepEqual(trendOf([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]), { window: 5, first: 3, last: 10 });
  for (let n = TREND_MIN; n < 30; n++) {
    const t = trendOf(Array.from({ length: n }, (_, i) => i))!;
    assert.ok(2 * t.window <= n, `${n} replies: windows of ${t.window} overlap`);
  }
});

/** Words they could only know by quoting the reply: a leading echo ("Worried? …"), a quotation, or
 * set phrases that hand back a label ("Fine, I'm too sensitive", "Don't tell me it's …"). */
function echoesOf(line: string): string[] {
  const out: string[] = [];
  const lead = /^([^.?!]{1,40})\?\s+\S/.exec(line);
  const asks =
    /^(can|could|would|will|is|are|do|does|did|should|shall|what|why|how|who|where|when|really|see|maybe|seriously|so|and|but|have|has|may|might)\b/i;
  if (lead && lead[1]!.split(/\s+/).length <= 5 && !asks.test(lead[1]!)) out.push(lead[1]!);
  for (const m of line.matchAll(/[“"]([^”"]+)[”"]/g)) out.push(m[1]!);
  for (const m of line.matchAll(
    /\b(?:don't tell me (?:it's|that|i'm)|fine, i'm|so now i'm|you think you're)\s+([^.?!,]+)/gi,
  ))
    out.push(m[1]!);
  return out;
}

test('no scripted comeback quotes words the player did not say', () => {
  const found: string[] = [];
  for (const s of scenarios) {
    // what they answer after a reply: the follow-ups of both branches and their last words
    const lines = [
      ...s.turns.flatMap((t, i) => [
        [`turns[${i}].steady`, t.steady.say],
        [`turns[${i}].defensive`, t.defensive.say],
      ]),
      ['close.steady', s.close.steady],
      ['close.defensive', s.close.defensive],
    ];
    for (const [where, line] of lines)
      for (const e of echoesOf(line!)) found.push(`${s.id} ${where}: "${e}" in "${line}"`);
  }
  assert.deepEqual(found, [], `comebacks that quote the player:\n${found.join('\n')}`);
  // the check itself finds what it is for
  for (const line of [
    'Worried? That is your excuse?',
    'Progress takes time? I gave it time.',
    "Fine, I'm too sensitive. I'll stay quiet.",
    "Don't tell me it's just enthusiasm.",
    'It is always “when you are older”.',
  ])
    assert.ok(echoesOf(line).length > 0, line);
  for (const line of [
    'Really? Thank you.',
    'Could we go slowly? Just a little.',
    'See? You are lecturing me.',
  ])
    assert.deepEqual(echoesOf(line), [], line);
});
