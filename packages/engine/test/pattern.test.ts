import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { compile, compileAll, data, expandGroups, matchAt, PatternError, tokenize } from '../src/index.ts';
import { type Compiled, mergeWords, PatternIndex } from '../src/pattern.ts';
import { MERGE } from '../src/text.ts';

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

describe('the pattern index reads as a plain scan would', () => {
  it('keeps one-word alternatives of a mixed group as one alternation', () => {
    assert.deepEqual(expandGroups('x (a|b|c d) y'), ['x a|b y', 'x c d y']);
    assert.deepEqual(expandGroups('(a|b c) (d|e f|g)'), ['a d|g', 'a e f', 'b c d|g', 'b c e f']);
  });
  it('expands on its own an empty alternative and a word the tokenizer merges with its neighbour', () => {
    assert.deepEqual(expandGroups('i (|really|so very) hate you'), [
      'i hate you',
      'i really hate you',
      'i so very hate you',
    ]);
    assert.equal(find('i (|really) hate you', 'I hate you'), 'I hate you');
    // "you are" is read as one token, "you're": "are" must meet "you" before compiling
    assert.equal(find('when (you|u) (come|are) home', 'when you are home'), 'when you are home');
    assert.equal(find('when (you|u) (come|are) home', 'when u come home'), 'when u come home');
  });
  it('starts a match wherever expanding every alternative on its own would, over every rule example', () => {
    // the old expansion, one pattern per alternative: the new one must match at exactly the same places
    const expandEach = (src: string): string[] => {
      const open = src.indexOf('(');
      if (open < 0) return [src];
      const close = src.indexOf(')', open);
      // "(me|my)?": each alternative optional on its own
      const optional = src[close + 1] === '?';
      return src
        .slice(open + 1, close)
        .split('|')
        .flatMap((alt) =>
          expandEach(src.slice(close + (optional ? 2 : 1))).map((rest) =>
            `${src.slice(0, open)} ${alt.trim()}${optional ? '?' : ''} ${rest}`.replace(/\s+/g, ' ').trim(),
          ),
        );
    };
    for (const file of ['cues', 'moves', 'safety'] as const) {
      const texts = data[file].rules.flatMap((r) => [...r.match, ...r.noMatch]);
      for (const rule of data[file].rules)
        for (const src of rule.patterns) {
          const now = compileAll(src, data.classes, MERGE);
          const each = expandEach(src).map((s) => compile(mergeWords(s, MERGE), data.classes));
          for (const text of texts) {
            const toks = tokenize(text);
            const starts = (ps: Compiled[]) =>
              toks.map((_, i) =>
                ps.some((p) => matchAt(p, toks, i) > i && !(p.anchored && i > 0 && !toks[i - 1]!.stop)),
              );
            assert.deepEqual(starts(now), starts(each), `${src} on ${text}`);
          }
        }
    }
  });
  it('finds exactly the hits of every pattern tried at every token, over every rule example', () => {
    // the index skips patterns whose later words are absent from the text and tries only those that can
    // start at a token; a brute-force scan must agree hit for hit
    for (const file of ['cues', 'moves', 'safety'] as const) {
      const index = new PatternIndex<number>();
      const all: [number, number, Compiled][] = [];
      data[file].rules.forEach((rule, ri) =>
        rule.patterns.forEach((src, pi) => {
          for (const p of compileAll(src, data.classes, MERGE)) {
            index.add(ri, pi, p);
            all.push([ri, pi, p]);
          }
        }),
      );
      const texts = data[file].rules.flatMap((r) => [...r.match, ...r.noMatch]);
      texts.push(texts.join(' '), 'he said he would not hit me and they left', '');
      for (const text of texts) {
        const toks = tokenize(text);
        const key = (h: { rule: number; pattern: number; from: number; to: number }) =>
          `${h.rule}/${h.pattern}/${h.from}/${h.to}`;
        const brute = new Set<string>();
        for (const [rule, pattern, p] of all)
          for (let i = 0; i < toks.length; i++) {
            if (p.anchored && i > 0 && !toks[i - 1]!.stop && toks[i - 1]!.norm !== '"') continue;
            const to = matchAt(p, toks, i);
            if (to > i) brute.add(key({ rule, pattern, from: i, to }));
          }
        assert.deepEqual(new Set(index.scan(toks).map(key)), brute, `${file}: ${text}`);
      }
    }
  });
});
