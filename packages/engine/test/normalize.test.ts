// Normalization before matching: evasions read as what they spell, and every span still points into
// the text as it was written. Tokenizing gives the same answer whichever lens ran first.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { check, hear, InputError, readText, tokenize } from '../src/index.ts';
import { normalize } from '../src/normalize.ts';

const PLAIN = 'I want to kill myself';
const DISGUISED: [string, string][] = [
  ['soft hyphen', 'I want to ki\u00adll myself'],
  ['zero-width joiner', 'I want to k\u200dill myself'],
  ['zero-width non-joiner', 'I want to ki\u200cll my\u200cself'],
  ['zero-width space', 'I want to ki\u200bll myself'],
  ['word joiner', 'I want to kill\u2060 myself'],
  ['Cyrillic і', 'I want to k\u0456ll myself'],
  ['Greek ο and Cyrillic е', 'I want t\u03bf kill mys\u0435lf'],
  ['fullwidth letters', 'Ｉ ｗａｎｔ ｔｏ ｋｉｌｌ ｍｙｓｅｌｆ'],
  ['mathematical bold', 'I want to 𝐤𝐢𝐥𝐥 myself'],
  ['combining accent', 'I want to ki\u0301ll myself'],
  ['bidi override', 'I want to \u202ekill\u202c myself'],
];

describe('normalization before matching', () => {
  it('reads disguised text as the plain text would', () => {
    const plain = tokenize(PLAIN).map((t) => t.norm);
    for (const [name, text] of DISGUISED) {
      assert.deepEqual(
        tokenize(text).map((t) => t.norm),
        plain,
        name,
      );
      const s = hear(text, { models: false }).safety;
      assert.equal(s?.id, 'self_harm', name);
    }
  });

  it('keeps every span pointing into the original text', () => {
    for (const [name, text] of DISGUISED) {
      for (const t of tokenize(text)) {
        assert.ok(t.start >= 0 && t.end <= text.length && t.start < t.end, name);
        // the span covers the written word, invisible characters inside it included
        assert.equal(
          normalize(text.slice(t.start, t.end))
            .text.toLowerCase()
            .replace(/[^a-z']/g, ''),
          t.norm.replace(/[^a-z']/g, ''),
          `${name}: ${text.slice(t.start, t.end)}`,
        );
      }
      const ev = hear(text, { models: false }).safety!.evidence[0]!;
      assert.equal(ev.text, text.slice(ev.start, ev.end));
      assert.ok(
        normalize(ev.text).text.toLowerCase().includes('ll'),
        `${name}: evidence "${ev.text}" covers the word`,
      );
    }
  });

  it('maps an expanded character (a ligature) to one source span', () => {
    const text = 'the ﬁnal straw';
    const toks = tokenize(text);
    assert.equal(toks[1]!.norm, 'final');
    assert.equal(text.slice(toks[1]!.start, toks[1]!.end), 'ﬁnal');
  });

  it('leaves ASCII and emoji sequences alone', () => {
    assert.equal(normalize('plain text, nothing else').starts, null);
    const family = '👨\u200d👩\u200d👧 ok';
    const toks = tokenize(family);
    assert.equal(toks[0]!.kind, 'emoji');
    assert.equal(family.slice(toks[0]!.start, toks[0]!.end), '👨\u200d👩\u200d👧');
  });

  it('treats text made only of invisible characters as empty input', () => {
    for (const t of ['\u200b\u200b', '\u00ad', ' \u2060 \ufeff ', '\u200d\u200c']) {
      assert.throws(() => readText(t), InputError);
      assert.throws(() => hear(t), InputError);
    }
    assert.equal(readText('\u200bhi'), '\u200bhi');
  });
});

describe('tokenizing does not depend on call order', () => {
  it('answers the same in a fresh process as in a warmed one', () => {
    const probe = ['you neverrr listen', 'whyyy do you alwayss do this', 'sooo sorry'];
    const warm = probe.map((t) =>
      check(t)
        .moves.map((m) => m.id)
        .join(','),
    );
    const script = `import { check } from ${JSON.stringify(fileURLToPath(new URL('../src/index.ts', import.meta.url)))};
      process.stdout.write(JSON.stringify(${JSON.stringify(probe)}.map((t) => check(t).moves.map((m) => m.id).join(','))));`;
    const fresh = JSON.parse(
      execFileSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
        encoding: 'utf8',
      }),
    ) as string[];
    assert.deepEqual(fresh, warm);
    assert.ok(warm[0]!.length > 0, 'a stretched word is read as the word it stretches');
  });
});
