import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { compile, compileAll, expandGroups, matchAt, PatternError, tokenize } from '../src/index.ts';

const classes = { neg: ['not', "don't"] };
const find = (src: string, text: string): string | null => {
  const toks = tokenize(text);
  for (const p of compileAll(src, classes, { 'you are': "you're" })) {
    for (let i = 0; i < toks.length; i++) {
      const end = matchAt(p, toks, i);
      if (end > i) return text.slice(toks[i]!.start, toks[end - 1]!.end);
    }
  }
  return null;
};

describe('token patterns', () => {
  it('matches literals, alternatives, optional words and bounded gaps', () => {
    assert.equal(find('you never|rarely listen', 'Honestly you never listen.'), 'you never listen');
    assert.equal(find('i was *2 trying to _', 'I was only trying to help, ok'), 'I was only trying to help');
    assert.equal(find('calm down', 'calm  DOWN!!'), 'calm  DOWN');
    assert.equal(find("i'm so? sorry", "I'm sorry"), "I'm sorry");
  });
  it('keeps gaps inside the sentence unless told to cross', () => {
    assert.equal(find('i hear *3 but', 'I hear you. But no.'), null);
    assert.equal(find('i hear ~3 but', 'I hear you. But no.'), 'I hear you. But');
  });
  it('expands groups and merges contractions the tokenizer merges', () => {
    assert.deepEqual(expandGroups('a (b c|d) e'), ['a b c e', 'a d e']);
    assert.equal(find('(you are|u) wrong', 'You are wrong'), 'You are wrong');
  });
  it('normalizes texting, curly apostrophes and stretched letters', () => {
    const norms = tokenize('u dont get it, you’re sooo wrong').map((t) => t.norm);
    assert.deepEqual(norms.slice(0, 4), ['you', "don't", 'get', 'it']);
    assert.ok(norms.includes("you're"));
    // stretched letters fold back to a word the rules know: "sooo" is "so", "neverrrr" is "never"
    assert.equal(norms[6], 'so');
    assert.deepEqual(
      tokenize('you neverrrr listen').map((t) => t.norm),
      ['you', 'never', 'listen'],
    );
  });
  it('rejects malformed patterns with a clear error', () => {
    assert.throws(() => compile('*2 you', classes), PatternError);
    assert.throws(() => compile('you @nope', classes), PatternError);
    assert.throws(() => compileAll('(a b', classes), PatternError);
  });
  it('offsets are UTF-16 indices into the original text, emoji included', () => {
    const text = '😞 you never listen';
    const t = tokenize(text).find((x) => x.norm === 'never')!;
    assert.equal(text.slice(t.start, t.end), 'never');
  });
});
