// What happened, as soften says it back: the "you" clause of a message written to someone, the story clause
// of one written about them, else what happened to the speaker; never a fragment, a question or a relative.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { eventsOf, ownEventOf, read, soften, tokenize } from '../src/index.ts';

const said = (text: string): string[] => eventsOf(tokenize(text), text).map((e) => e.speaker);
const own = (text: string): string | undefined => ownEventOf(tokenize(text), text)?.speaker;
const observation = (text: string): string => soften(text).parts.observation;

describe('the "you" clause', () => {
  it('reads through a quotation and keeps a name capitalised', () => {
    assert.deepEqual(said("You introduced me as 'the other one' at your work party."), [
      'you introduced me as the other one at your work party',
    ]);
    assert.match(
      said("When you told Auntie Ruth that I 'still haven't found anything proper'")[0]!,
      /Auntie Ruth/,
    );
  });
  it('finds no event in a question, an object "you" or a relative clause', () => {
    assert.deepEqual(said('so r u coming to the wedding or not??'), []);
    assert.deepEqual(said('I asked you one thing.'), []);
    assert.deepEqual(said("I've tried calling you about Dad's house three times"), []);
    assert.deepEqual(said("I've met every target you set."), []);
    assert.deepEqual(said('mom i love u but i need u to let us plan the wedding'), []);
  });
  it('says an -nge verb whole ("changing" is "change", "singing" stays "sing")', () => {
    assert.deepEqual(said('You keep changing the subject when I bring up Grandma.'), [
      'you change the subject',
    ]);
    assert.deepEqual(said('you keep singing that song'), ['you sing that song']);
  });
  it('flips the words between the two sides even when the message is in title case', () => {
    const r = read('You Forgot My Birthday Again');
    assert.equal(r.event?.speaker, 'you forgot my birthday');
    assert.equal(r.event?.listener, 'I forgot your birthday');
    assert.equal(read('You told Mum about My diary').event?.listener, 'I told Mum about your diary');
  });
  it('prefers the complaint to what was granted before it', () => {
    const text = 'i know u had a long day too but u walked in and went straight to the couch';
    assert.equal(read(text).event?.speaker, 'you walked in and went straight to the couch');
  });
});

describe('what happened to the speaker', () => {
  it('is said in their words when nothing names the other', () => {
    assert.equal(
      own('Last week I got cut off three times in the retro.'),
      'I got cut off three times in the retro',
    );
    assert.equal(
      own("For the third time I've been told I'm nearly there."),
      "I've been told I'm nearly there",
    );
    assert.match(
      observation('You told the kids not to wait for me. I found out at the gate.'),
      /^When you told/,
    );
    assert.match(
      observation('Hi Fran. I found out at the gate that the trip was off.'),
      /^When I found out at the gate/,
    );
  });
  it('is never a feeling, a thought or a relative clause', () => {
    assert.equal(own('I felt so small when everyone laughed.'), undefined);
    assert.equal(own("I've been thinking about what I said about Tom last weekend."), undefined);
    assert.equal(own('I just need someone in this family to admit it.'), undefined);
  });
});

describe('a message about someone', () => {
  it('is softened as said to them', () => {
    assert.equal(
      observation("My husband sold my late dad's guitar without asking me. I can't stop crying."),
      "When you sold my late dad's guitar without asking me",
    );
  });
  it('only when the person named acts on the speaker, and is the one the start-up is for', () => {
    for (const t of [
      'my sister has depression',
      'The doctor told me my dad has cancer',
      'my brother lost his job last month',
      'my dad is in hospital again',
      'my son was bullied at school',
      'my ex keeps texting me at 3am',
    ])
      assert.doesNotMatch(observation(t), /^When you (have|lost|are|were|keep texting)/, t);
    // in a room between partners, a sister is not the one being spoken to
    const sister = 'my sister told my boss I was lying';
    assert.match(observation(sister), /^When you told my boss/);
    assert.doesNotMatch(
      soften(sister, { relationship: 'partner' }).parts.observation,
      /^When you told my boss/,
    );
  });
  it('never says back what happened to them as something they did', () => {
    const o = observation('My mum died four years ago and nobody in the family calls me anymore.');
    assert.doesNotMatch(o, /you died/);
  });
  it('takes no greeting or "nobody" for a person', () => {
    assert.doesNotMatch(observation('Hey Chris. Congratulations on the engagement.'), /chri/i);
    assert.doesNotMatch(
      observation("Nobody really asks how I'm doing since I became Dad's carer."),
      /you ask/,
    );
  });
});

describe('requests', () => {
  it('asks a "don\'t" as a "not"', () => {
    assert.match(
      soften("please don't accept invitations on my behalf anymore").softened,
      /willing to not accept/,
    );
  });
});
