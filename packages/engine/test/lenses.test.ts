// The behaviour users rely on: the essay's examples, the contract's shapes, scope and negation,
// safety before steadiness, and replies that practise what they preach.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import {
  check,
  data,
  hear,
  soften,
  CUE_IDS,
  DEFENSIVE_IDS,
  FEELING_IDS,
  InputError,
  NEED_IDS,
  STEADY_IDS,
  type CheckResult,
  type HearResult,
} from '../src/index.ts';
import { safetyModel } from '../src/model/registry.ts';
import { RULE_GATE } from '../src/safety.ts';

const safetyTrust = (rule: string): number => safetyModel().artifact.trust?.[rule] ?? 1;

const here = new URL('../../../corpus/', import.meta.url);
const lines = (f: string) =>
  readFileSync(new URL(f, here), 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l));
const messages: { text: string; cues: string[]; safety: string | null }[] = lines('messages.jsonl');
const replies: { reply: string; to?: string; moves: string[] }[] = lines('replies.jsonl');

function assertSpans(text: string, spans: { start: number; end: number; text: string }[]) {
  for (const s of spans) {
    assert.ok(
      s.start >= 0 && s.end <= text.length && s.start < s.end,
      `span ${s.start}-${s.end} inside text`,
    );
    assert.equal(text.slice(s.start, s.end), s.text);
  }
}

describe('hear: the essay', () => {
  it('"I feel invisible" is misheard as "You\'re saying I did something wrong"', () => {
    const r = hear('I feel invisible.');
    assert.equal(r.misreading, "You're saying I did something wrong.");
    assert.deepEqual(
      r.cues.map((c) => c.id),
      ['faux_feeling'],
    );
    assert.equal(r.needs[0]?.id, 'seen');
    assert.ok(r.feelings.some((f) => f.id === 'lonely'));
  });
  it('"I feel scared" is misheard as "You don\'t trust me"', () => {
    const r = hear('I feel scared.');
    assert.equal(r.misreading, "You don't trust me.");
    assert.equal(r.feelings[0]?.id, 'scared');
    assert.equal(r.needs[0]?.id, 'security');
  });
  for (const text of ["You don't understand me.", "You're not really here."]) {
    it(`"${text}" is read as a history of not being met, not an accusation`, () => {
      const r = hear(text);
      assert.match(r.beneath, /history of not being met/);
      assert.match(r.beneath, /not a verdict|more than a charge/);
      assert.ok(r.cues.some((c) => c.id === 'you_statement'));
      assert.match(r.misreading, /accusing me/);
    });
  }
  it('matches the contract example', () => {
    const text = "You're never really here. I feel invisible.";
    const r = hear(text);
    assert.deepEqual(
      r.cues.find((c) => c.id === 'absolute'),
      {
        id: 'absolute',
        start: 7,
        end: 12,
        text: 'never',
        note: data.cues.notes.absolute,
        label: 'always or never',
        rule: 'always-never',
      },
    );
    // the contract's example offsets are illustrative; the real UTF-16 offsets of "invisible":
    assert.ok(
      r.cues.some(
        (c) => c.id === 'faux_feeling' && c.start === text.indexOf('invisible') && c.text === 'invisible',
      ),
    );
    assert.equal(r.safety, null);
  });
});

describe('hear: shape and ranges', () => {
  it('returns every contract field with valid ids, sorted scores and spans', () => {
    for (const m of messages) {
      const r: HearResult = hear(m.text);
      assert.deepEqual(Object.keys(r).sort(), [
        'beneath',
        'cues',
        'feelings',
        'heat',
        'misreading',
        'needs',
        'replies',
        'safety',
        'text',
      ]);
      for (const c of r.cues) assert.ok((CUE_IDS as readonly string[]).includes(c.id));
      for (const f of r.feelings) assert.ok((FEELING_IDS as readonly string[]).includes(f.id));
      for (const n of r.needs) assert.ok((NEED_IDS as readonly string[]).includes(n.id));
      for (const list of [r.feelings, r.needs])
        for (let i = 1; i < list.length; i++) assert.ok(list[i - 1]!.score >= list[i]!.score);
      assert.ok(r.heat >= 0 && r.heat <= 1);
      assert.ok(r.replies.length >= 2 && r.replies.length <= 3);
      assert.equal(new Set(r.replies).size, r.replies.length, 'replies are varied');
      assertSpans(r.text, r.cues);
      if (r.safety) assertSpans(r.text, r.safety.evidence);
    }
  });
  it('heat rises with intensity', () => {
    assert.ok(
      hear('YOU NEVER LISTEN!!! you selfish jerk').heat > hear('I feel a bit lonely tonight.').heat + 0.3,
    );
  });
});

describe('replies practise the stance', () => {
  it('every suggested reply over the corpus passes check with no defensive move', () => {
    const texts = [...messages.map((m) => m.text), ...replies.flatMap((r) => (r.to ? [r.to] : []))];
    for (const t of texts) {
      const r = hear(t);
      if (r.safety) continue;
      for (const reply of r.replies) {
        const c = check(reply);
        const bad = c.moves.filter((m) => m.kind === 'defensive');
        assert.deepEqual(
          bad.map((m) => m.id),
          [],
          `reply to "${t}": "${reply}"`,
        );
        assert.ok(
          c.moves.some((m) => m.kind === 'steady'),
          `reply "${reply}" should carry a steady move`,
        );
        assert.match(reply, /^[A-Z].*[.?!]$/, 'a reply is a capitalised, finished sentence');
      }
    }
  });
  it('check suggestions are themselves steady', () => {
    for (const r of replies) {
      const c = check(r.reply, { to: r.to });
      // a reply that is already steady gets no suggestion (tested on its own below); every other gets a steady one
      if (!c.suggestion) continue;
      assert.deepEqual(
        check(c.suggestion)
          .moves.filter((m) => m.kind === 'defensive')
          .map((m) => m.id),
        [],
        c.suggestion,
      );
    }
  });
});

describe('check', () => {
  it('finds the contract example with exact spans', () => {
    const r = check("I was only trying to help, you're overreacting.", { to: 'You never listen to me.' });
    const pick = (m: CheckResult['moves'][number]) => [m.id, m.kind, m.start, m.end, m.text];
    assert.deepEqual(r.moves.map(pick), [
      ['justify', 'defensive', 0, 25, 'I was only trying to help'],
      ['minimize', 'defensive', 27, 46, "you're overreacting"],
    ]);
    for (const m of r.moves) assert.ok(m.why && m.instead);
    assert.ok(r.steadiness < 30);
    assert.match(r.suggestion, /listen|heard/i, 'the suggestion speaks to the message it answers');
  });
  it('every move id in the contract is found somewhere in the corpus', () => {
    const found = new Set(replies.flatMap((r) => check(r.reply, { to: r.to }).moves.map((m) => m.id)));
    for (const id of [...DEFENSIVE_IDS, ...STEADY_IDS]) assert.ok(found.has(id), id);
  });
  it('respects negation and scope', () => {
    const ids = (t: string) => check(t).moves.map((m) => m.id);
    assert.ok(!ids("I'm not saying you're overreacting.").includes('minimize'));
    assert.ok(!ids("You never told me you felt that way, and I'm sorry.").includes('counterattack'));
    assert.ok(ids('You never told me that.').includes('counterattack'));
    assert.ok(ids("You're not overreacting.").includes('validate'));
    assert.ok(!ids("You're not overreacting.").includes('minimize'));
  });
  it('a "but" cancels the acknowledgement before it', () => {
    const r = check("I hear you, but you're being unfair.");
    assert.ok(r.moves.some((m) => m.id === 'yes_but'));
    assert.ok(!r.moves.some((m) => m.kind === 'steady'));
    assert.ok(!check('I hear you, and I want to understand more.').moves.some((m) => m.id === 'yes_but'));
  });
  it('reads texting style, curly apostrophes and emoji', () => {
    assert.ok(check('ur being dramatic lol').moves.some((m) => m.id === 'minimize'));
    assert.ok(
      check('It sounds like you’ve felt invisible for a while.').moves.some((m) => m.id === 'reflect'),
    );
    assert.ok(check('wow thanks a lot 🙄').moves.some((m) => m.id === 'contempt'));
  });
  it('a break with a way back is pause; one without is withdraw', () => {
    const ids = (t: string) => check(t).moves.map((m) => m.id);
    assert.ok(ids("I'm getting flooded; can we take 20 minutes and come back to this?").includes('pause'));
    assert.ok(ids("I'm done.").includes('withdraw'));
    assert.ok(!ids("I'm done.").includes('pause'));
  });
  it('orders replies the way a counselor would', () => {
    const triples: [string, string, string, string][] = [
      [
        'I feel invisible.',
        'It sounds like you feel unseen. Can you tell me more?',
        "I'm sorry you feel that way.",
        "You're overreacting, I'm always here.",
      ],
      [
        "You don't understand me.",
        'I want to understand. What am I missing?',
        'I get it, but I try.',
        "That's not true, you just want to fight.",
      ],
      [
        'I feel scared.',
        "That makes sense. I'm here. What's scaring you most?",
        'You should just relax.',
        "You don't trust me? After everything I do for you!",
      ],
      [
        "You're not really here.",
        "You're right, I've been distracted. I'm here now.",
        'I was only on my phone for a minute.',
        'Whatever. Here we go again.',
      ],
      [
        'You never help.',
        "It sounds like you've been carrying too much. That's on me.",
        'I did the dishes yesterday.',
        'Oh poor you. What about me?',
      ],
    ];
    for (const [to, best, mid, worst] of triples) {
      const [a, b, c] = [best, mid, worst].map((r) => check(r, { to }).steadiness);
      assert.ok(a! > b! && b! > c!, `${to}: ${a} > ${b} > ${c}`);
    }
  });
  it('offers a pause when the reply is hot', () => {
    assert.equal(check('OH POOR YOU. You are pathetic, whatever, I am DONE!!!').pause, true);
    assert.equal(check('I hear you. Take your time.').pause, false);
  });
  it('strict shape over the corpus', () => {
    for (const r of replies) {
      const c = check(r.reply, { to: r.to });
      assert.ok(Number.isInteger(c.steadiness) && c.steadiness >= 0 && c.steadiness <= 100);
      assert.equal(typeof c.pause, 'boolean');
      assertSpans(c.text, c.moves);
      for (const m of c.moves) if (m.kind === 'defensive') assert.ok(m.why && m.instead);
    }
  });
});

describe('safety first', () => {
  it('detects self-harm, violence and control, and leaves figures of speech alone', () => {
    assert.equal(hear('I want to die.').safety?.id, 'self_harm');
    assert.equal(hear('He hit me again last night.').safety?.id, 'violence');
    assert.equal(hear("You're worthless.").safety?.id, 'control');
    for (const t of ['This job is killing me.', 'I could murder a pizza.', "I'm dying to see that movie."])
      assert.equal(hear(t).safety, null, t);
  });
  it('gives safety guidance, never steadiness coaching, and configurable resources', () => {
    const r = hear('I swear I will hurt you if you leave.');
    assert.equal(r.safety?.id, 'violence');
    assert.ok(r.safety!.resources.some((x) => /emergency number/.test(x)));
    for (const reply of r.replies) assert.doesNotMatch(reply, /sounds like|makes sense|tell me more/i);
    const custom = hear('I want to die.', { resources: ['Call Lifeline Example'] });
    assert.deepEqual(custom.safety!.resources, ['Call Lifeline Example']);
  });
  it('asks the model before a rule that is often wrong raises violence or control, never for self-harm', () => {
    // threat-to-harm was right on 88% of its training flags: a hyperbole the model reads as safe stands down
    const hyperbole = "Mum will kill you if you don't frame the group one. Cheers, Liz";
    assert.equal(hear(hyperbole, { models: false }).safety?.id, 'violence');
    assert.equal(hear(hyperbole).safety, null);
    assert.ok(safetyTrust('threat-to-harm') < RULE_GATE.trustFrom);
    // the same rule with a real threat around it stands, and self-harm rules are never gated
    assert.equal(hear("I'm going to kill you when you get home. I found the texts.").safety?.id, 'violence');
    assert.equal(
      hear("I'm going to kill myself if I have to sit through another of Gary's syncs.").safety?.id,
      'self_harm',
    );
  });
  it('a rule that stands down never hands a threat to another category', () => {
    // the model alone reads this threat as self-harm; the threat rule's reading stands, urgent for the gun
    const threat =
      "I've sat up all night reading your messages to him. Every single one. I took the gun out of the safe about an hour ago and it's on the table in front of me. When you walk in from your shift I'm going to kill you with it. I wanted you to know that before you got here. Don't ring me.";
    const s = hear(threat).safety;
    assert.equal(s?.id, 'violence');
    assert.equal(s?.level, 'urgent');
  });
  it('invents no phone numbers beyond the well-known emergency numbers', () => {
    const nums =
      hear('I want to die.')
        .safety!.resources.join(' ')
        .match(/\d{3,}/g) ?? [];
    for (const n of nums) assert.ok(['911', '112', '999'].includes(n), n);
  });
});

describe('soften', () => {
  it('matches the contract example', () => {
    const r = soften("You never listen to me, you're always on your phone.");
    assert.match(
      r.softened,
      /^When you're on your phone while I'm talking, I feel \w+, because I need to feel heard\./,
    );
    assert.equal(r.parts.need, 'heard');
  });
  it('softened text carries no absolute, label, faux feeling or accusing question, over the corpus', () => {
    for (const m of messages) {
      if (m.safety) continue;
      const s = soften(m.text);
      if (s.safety) continue; // a false alarm gets help instead of a rewrite; measured in docs/eval/safety.md
      const blame = hear(s.softened).cues.filter((c) => c.id !== 'you_statement');
      assert.deepEqual(
        blame.map((c) => c.id),
        [],
        `${m.text} -> ${s.softened}`,
      );
      assert.ok(s.parts.request.endsWith('?'));
    }
  });
});

describe('check reads the reply against the message', () => {
  const ids = (reply: string, to?: string) => check(reply, { to }).moves.map((m) => `${m.id}:${m.text}`);
  it("a complaint's predicate asserted back disputes it", () => {
    assert.ok(
      ids('I do listen, I just had a long day.', 'You never listen to me.').some((x) =>
        x.startsWith('correct:I do listen'),
      ),
    );
    assert.ok(ids("I'm right here.", "You're not really here.").includes("correct:I'm right here"));
    assert.ok(
      ids('I did call you, twice actually.', "You didn't even call me.").some((x) =>
        x.startsWith('correct:'),
      ),
    );
    assert.ok(
      ids('We always do what you want.', 'We never do what I want.').every((x) => !x.startsWith('correct:')),
      'a complaint back is not a rebuttal of the predicate',
    );
    // presence offered, not a rebuttal
    assert.ok(
      ids("I'm here now and I want to understand.", "You're never really here.").every(
        (x) => !x.startsWith('correct:'),
      ),
    );
  });
  it("a short question echoing the complaint's charged word disputes it; a question about its topic explores", () => {
    assert.ok(ids('Ignored? Seriously?', 'I feel so ignored lately.').includes('correct:Ignored?'));
    assert.ok(ids('Always? Name one time.', 'You always cancel on me.').includes('correct:Always?'));
    assert.ok(ids('Me? Selfish?', "You're so selfish.").some((x) => x.startsWith('correct:')));
    assert.ok(
      ids('How did the appointment go?', 'You forgot my appointment.').every(
        (x) => !x.startsWith('correct:'),
      ),
    );
    assert.ok(ids('Help me understand?', "You don't understand me.").every((x) => !x.startsWith('correct:')));
  });
  it('a rhetorical question that pushes back is defensive, and cancels the steady words in its sentence', () => {
    const r = check("I'm right here. What more do you want from me?", { to: "You're not really here." });
    assert.ok(r.moves.some((m) => m.id === 'counterattack'));
    assert.ok(!r.moves.some((m) => m.id === 'stay' || m.id === 'reflect'));
    assert.ok(r.steadiness < 50);
    assert.ok(check('Is it a crime to have a life?').moves.some((m) => m.kind === 'defensive'));
    assert.ok(check('How was I supposed to know?').moves.some((m) => m.id === 'justify'));
  });
  it('one move per stretch: repeats of one move in a sentence are merged', () => {
    const r = check('oh great, here we go again 🙄');
    assert.deepEqual(
      r.moves.map((m) => m.id),
      ['contempt'],
    );
    assert.equal(r.moves[0]!.text, 'oh great, here we go again 🙄');
  });
  it('moves carry a plain label and the rule that fired; a steady reply gets no suggestion', () => {
    const r = check("I was only trying to help, you're overreacting.");
    assert.deepEqual(
      r.moves.map((m) => m.label),
      ['explaining yourself', 'shrinking the feeling'],
    );
    assert.ok(r.moves.every((m) => typeof m.rule === 'string' && m.rule.length > 0));
    const steady = check(
      "It sounds like you felt really alone. I'm here, and I want to understand. Can you tell me more?",
      { to: "You're never really here." },
    );
    assert.ok(steady.steadiness >= 80);
    assert.equal(steady.suggestion, '');
  });
});

describe("safety on the writer's side", () => {
  it('a draft with self-harm risk gets help for its writer, never a softened rewrite', () => {
    for (const t of [
      'I want to die.',
      "if you leave me I don't know what I'll do to myself",
      "I took the whole bottle. I'm sorry.",
    ]) {
      const s = soften(t);
      assert.equal(s.safety?.id, 'self_harm', t);
      assert.equal(s.softened, '');
      assert.match(s.safety!.message, /yourself/);
      assert.ok(s.safety!.resources.length > 0);
    }
  });
  it('a threat or control is never softened into a politer one: the writer gets a plain note', () => {
    for (const [t, id] of [
      ["if you talk to her again you'll regret it", 'violence'],
      ['Give me your password, now.', 'control'],
      ["You're nothing without me.", 'control'],
    ] as const) {
      const s = soften(t);
      assert.equal(s.safety?.id, id, t);
      assert.equal(s.softened, '');
      assert.match(s.safety!.message, /won't (rewrite|soften)/);
      assert.notEqual(s.safety!.message, hear(t).safety!.message, 'the writer reads a note for the writer');
    }
  });
  it('safety carries a level: urgent for a method, means or imminent threat', () => {
    assert.equal(hear("I've saved up enough pills to do it tonight.").safety?.level, 'urgent');
    assert.equal(
      hear("He's outside banging on the door and I think he has a knife.").safety?.level,
      'urgent',
    );
    assert.equal(hear('Sometimes I wish I could just disappear forever.').safety?.level, 'concern');
  });
  it('negation, reassurance and figures of speech stay quiet; a denial beside a real signal does not', () => {
    for (const t of [
      "I'd never raise a hand to you.",
      "I'm not going to hurt myself, I'm just low today.",
      'You hurt me when you forgot.',
      "I'd never hurt you, you know that.",
      'This job is killing me.',
    ])
      assert.equal(hear(t, { models: false }).safety, null, t);
    assert.equal(hear("I'm fine, honestly. I just sorted out who gets my things.").safety?.id, 'self_harm');
  });
});

describe('bad input', () => {
  it('empty, blank and non-string input get a clear error', () => {
    assert.throws(() => hear(''), InputError);
    assert.throws(() => check('   \n'), InputError);
    assert.throws(() => soften(42 as unknown as string), InputError);
  });
  it('odd Unicode, control characters and lone surrogates do not throw and keep offsets valid', () => {
    for (const t of [
      '\u0000\u0001 you never listen',
      '\ud800 lone',
      'ｙｏｕ ｎｅｖｅｒ',
      'e\u0301 you never',
      '👨‍👩‍👧 you always 🙄',
      '\u202e you never',
    ]) {
      const r = hear(t);
      assertSpans(r.text, r.cues);
      assertSpans(t, check(t).moves);
    }
  });
  it('1 MB of adversarial input completes with valid spans', () => {
    const bait = [
      'you '.repeat(250_000),
      'never never never never '.repeat(45_000),
      `i hear you ${'but '.repeat(10)}`.repeat(20_000),
      'a'.repeat(1_000_000),
      '((((((((((!!!!!!!???'.repeat(50_000),
    ];
    for (const t of bait) {
      const h = hear(t);
      assertSpans(h.text, h.cues);
      const c = check(t);
      assertSpans(c.text, c.moves);
    }
  });
});
