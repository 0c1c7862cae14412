// The solo listening space: reflections that name what was said, in the second person, never with the
// same opening twice in a session; corrections that are heard; safety before any start-up; and start-ups
// that keep the story and carry none of the blame cues hear itself would find.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import {
  Listening,
  check,
  hear,
  isDone,
  listenSummary,
  notQuite,
  reflect,
  type Reflection,
} from '../src/index.ts';

const BLAME = new Set(['absolute', 'label', 'faux_feeling', 'accusing_question']);
const opening = (r: string) => r.split(/\s+/).slice(0, 2).join(' ').replace(/[,:]$/, '');

function assertListenerWords(r: Reflection, said: string): void {
  assert.equal(r.safety, null, said);
  assert.match(r.text, /^[A-Z]/, r.text);
  assert.match(r.text, /\?$/, `ends by asking whether there is more: ${r.text}`);
  assert.match(r.text, /\byou(r|'re|'ve)?\b/i, `second person: ${r.text}`);
  assert.doesNotMatch(r.text, /[{}]|\s{2}|\s[,.?]|\bmy\b|\bI (feel|felt)\b/i, r.text);
  // a listener's words practise what check teaches: no defensive move in them
  const moves = check(r.text).moves.filter((m) => m.kind === 'defensive');
  assert.deepEqual(
    moves.map((m) => m.id),
    [],
    `defensive move in a reflection: ${r.text}`,
  );
}

const STORY = [
  'my sister keeps joking about my weight at dinner',
  'she did it again in front of everyone and I felt so embarrassed',
  'my mom laughed along with her',
  'afterwards I cried in the car',
  'I used to love those dinners',
  "now I dread Sundays and I'm tired of pretending it's fine",
];

describe('listen: reflections', () => {
  it('name the specifics: who, the feeling, and what happened, said to the one telling it', () => {
    const l = new Listening();
    const r1 = l.say(STORY[0]!);
    assertListenerWords(r1, STORY[0]!);
    assert.match(r1.text, /your sister/);
    assert.match(r1.text, /joking about your weight at dinner/);
    assert.equal(r1.event, 'your sister keeps joking about your weight at dinner');
    const r2 = l.say(STORY[1]!);
    // their own feeling word, not a family name for it
    assert.match(r2.text, /\bembarrassed\b/);
    assert.match(r2.text, /in front of everyone/);
    const sam = new Listening().say('Sam forgot my birthday again');
    assert.match(sam.text, /Sam forgot your birthday/);
    assert.doesNotMatch(sam.text, /again/, 'the absolute-like filler is not said back');
    const boss = new Listening().say('My boss yelled at me in front of the whole team today');
    assert.match(boss.text, /your boss yelled at you in front of the whole team today/);
  });

  it('an absolute goes and its negation stays: "never home" is "isn\'t home"', () => {
    const dad = new Listening();
    assert.match(dad.say('my dad is never home').text, /your dad isn't home/);
    assert.match(dad.finish().startup!, /^When you aren't home, I feel /);
    const kids = new Listening();
    assert.match(
      kids.say("my kids don't help around the house").text,
      /your kids don't help around the house/,
    );
    const sam = new Listening().say('Sam never texts me back');
    assert.match(sam.text, /Sam doesn't text you back/);
  });

  it('a pronoun stands for the person already named', () => {
    const l = new Listening();
    l.say('my brother borrowed my car without asking');
    const r = l.say('he returned it with an empty tank');
    assert.match(r.text, /your brother returned it with an empty tank/);
  });

  it('written to the other person directly, it is said back about them', () => {
    const r = new Listening().say("you're always on your phone when I talk to you");
    assert.match(r.text, /they're on their phone/);
    assert.doesNotMatch(r.text, /always/);
  });

  it('never repeat an opening within a session, and vary across sessions', () => {
    const l = new Listening();
    const texts = STORY.map((s) => l.say(s).text);
    for (const [i, t] of texts.entries())
      assertListenerWords({ ...l.say('x'), text: t, safety: null }, STORY[i]!);
    const openings = texts.map(opening);
    assert.equal(new Set(openings).size, openings.length, openings.join(' | '));
    // a different story starts elsewhere in the openings
    const first = new Set(
      ['Sam forgot my birthday', 'my boss took credit for my report', 'my roommate ate my leftovers'].map(
        (s) => opening(new Listening().say(s).text),
      ),
    );
    assert.ok(first.size >= 2, [...first].join(' | '));
  });

  it('property: any session of up to 14 messages, corrections included, never reuses an opening', () => {
    const lines = [
      ...STORY,
      'my husband forgot our anniversary',
      'my friend cancelled our plans at the last minute',
      'my dad criticised my cooking in front of my kids',
      'my coworker took credit for my idea in the meeting',
      'I felt so small',
      "I'm just tired",
      'it was humiliating',
      'nobody noticed',
    ];
    fc.assert(
      fc.property(
        fc.array(fc.record({ line: fc.constantFrom(...lines), correction: fc.boolean() }), {
          minLength: 1,
          maxLength: 14,
        }),
        (turns) => {
          const l = new Listening();
          let corrections = 0;
          const seen: string[] = [];
          for (const t of turns) {
            // up to five corrections: there are six ways to say "let me try again"
            const c = t.correction && seen.length > 0 && corrections < 5;
            if (c) corrections++;
            const r = c ? l.correct(t.line) : l.say(t.line);
            assert.equal(r.safety, null);
            seen.push(opening(r.text));
          }
          assert.equal(new Set(seen).size, seen.length, seen.join(' | '));
        },
      ),
      { numRuns: 150, seed: 18 },
    );
  });

  it('"not quite": the next reflection uses what the correction adds, and the summary follows it', () => {
    const l = new Listening();
    const first = l.say('my sister joked about my weight at dinner and I was so angry');
    assert.match(first.text, /frustrated|angry/);
    const fixed = l.correct("I'm not angry really, I felt humiliated");
    assert.match(fixed.text, /humiliated/);
    assert.match(fixed.text, /your sister joked about your weight at dinner/, 'the event carries over');
    assert.doesNotMatch(fixed.text, /angry|frustrated/);
    assert.notEqual(opening(fixed.text), opening(first.text));
    const s = l.finish();
    assert.equal(s.turns.length, 2);
    assert.equal(s.turns[1]!.correction, true);
    assert.equal(s.feelings[0]!.id, 'ashamed');
    assert.ok(!s.feelings.some((f) => f.id === 'angry'), JSON.stringify(s.feelings));
    assert.match(s.startup!, /humiliated|ashamed/);
  });

  it('safety comes first: help instead of a reflection, and no start-up', () => {
    const l = new Listening();
    l.say('my partner forgot my birthday');
    const r = l.say("I don't want to be alive anymore");
    assert.equal(r.safety?.id, 'self_harm');
    assert.match(r.text, /crisis line/);
    assert.doesNotMatch(r.text, /Is there more|your partner|birthday/, 'no reflection, no coaching');
    assert.ok(r.safety!.resources.length > 0);
    const s = l.finish();
    assert.equal(s.safety?.id, 'self_harm');
    assert.equal(s.startup, null);
    const hit = listenSummary(['my husband forgot our anniversary', 'and last night my husband hit me']);
    assert.equal(hit.safety?.id, 'violence');
    assert.equal(hit.startup, null);
    assert.match(hit.turns[1]!.reflection, /Your safety/);
    const control = listenSummary(["my boyfriend checks my phone and won't let me see my friends"]);
    assert.equal(control.safety?.id, 'control');
    assert.equal(control.startup, null);
    assert.match(control.turns[0]!.reflection, /helpline/);
  });

  it('reflect and listenSummary replay a session exactly as it was heard', () => {
    const l = new Listening();
    for (const s of STORY) l.say(s);
    const live = l.finish();
    assert.deepEqual(listenSummary(STORY), live);
    assert.equal(reflect(STORY)!.text, live.turns.at(-1)!.reflection);
    assert.equal(reflect([]), null);
  });
});

describe('listen: the summary and the start-up', () => {
  it('has the contract shape, and the start-up keeps who and what happened', () => {
    const s = listenSummary([
      'my sister keeps joking about my weight at dinner',
      'I felt so ashamed',
      "that's what hurts",
    ]);
    for (const k of ['turns', 'feelings', 'needs', 'startup', 'safety']) assert.ok(k in s, k);
    for (const t of s.turns) assert.deepEqual(Object.keys(t).sort(), ['reflection', 'text']);
    assert.equal(s.feelings[0]!.id, 'ashamed');
    assert.equal(s.who, 'your sister');
    assert.equal(s.relationship, 'family');
    assert.match(
      s.startup!,
      /^When you keep joking about my weight at dinner, I feel ashamed, because I need /,
    );
    assert.match(s.startup!, /\?$/);
    assert.match(s.beneath, /ashamed/);
  });

  // stories over many people, events and feelings: every start-up is read by hear's own cues
  const people = ['my sister', 'my husband', 'my boss', 'my best friend', 'my mom', 'Sam', 'my roommate'];
  const events: [string, string][] = [
    ['forgot my birthday again', 'birthday'],
    ['joked about my weight at dinner', 'weight'],
    ['cancelled our plans at the last minute', 'plans'],
    ['left all the dishes for me', 'dishes'],
    ['laughed at my idea in the meeting', 'idea'],
    ['told everyone about my new job before I could', 'job'],
    ['always interrupts me when I talk about my day', 'interrupt'],
    ['never asks how my day was', 'day'],
    ['spent our savings on a new car without telling me', 'car'],
    ['keeps criticising my cooking in front of the kids', 'cooking'],
  ];
  const feelings = [
    'I felt so stupid',
    'it was humiliating and I am still upset',
    "I'm exhausted",
    'I felt completely alone',
    'I was furious',
  ];

  it('over 350 stories, no start-up carries an absolute, label, faux feeling or accusing question', () => {
    let checked = 0;
    const kept: string[] = [];
    for (const [pi, who] of people.entries())
      for (const [ei, [what, word]] of events.entries())
        for (const [fi, feel] of feelings.entries()) {
          const story = [`${who} ${what}`, feel, pi % 2 ? 'I keep thinking about it' : ''].filter(Boolean);
          const s = listenSummary(story);
          if (s.safety) continue; // a story the safety model flags gets help, not a start-up (tested above)
          checked++;
          assert.ok(s.startup, story.join(' / '));
          const cues = hear(s.startup).cues.filter((c) => BLAME.has(c.id));
          assert.deepEqual(cues, [], `${story.join(' / ')} -> ${s.startup}`);
          assert.match(s.startup, /\byou(r|'re)?\b/i, `addressed to them: ${s.startup}`);
          if (s.startup.toLowerCase().includes(word)) kept.push(s.startup);
          if ((ei + fi) % 17 === 0) assert.doesNotMatch(s.startup, /\b(always|never)\b/i);
        }
    assert.ok(checked >= 300, `only ${checked} stories checked`);
    // the story's own thing is named in every start-up, not a topic's stand-in for it
    assert.equal(kept.length, checked, `${kept.length}/${checked} start-ups keep what happened`);
  });
});

describe('listen: the words that end or correct a session', () => {
  it('"that\'s it", in any case and punctuation, ends it; other lines do not', () => {
    for (const s of [
      "that's it",
      "That's it.",
      'thats it',
      'THAT IS IT!',
      'Yes, that’s it',
      "that's it, thanks",
    ])
      assert.ok(isDone(s), s);
    for (const s of ["that's it for now I guess he left", 'is that it?', 'it', "that's not it"])
      assert.ok(!isDone(s), s);
  });
  it('"not quite" starts a correction and keeps what follows', () => {
    assert.equal(notQuite('Not quite, I felt humiliated'), 'I felt humiliated');
    assert.equal(notQuite('no, not quite.'), '');
    assert.equal(notQuite('not quite: it was my mum'), 'it was my mum');
    assert.equal(notQuite('I was not quite ready'), null);
  });
});
