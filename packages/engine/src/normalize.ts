// Normalization before matching: NFKC, diacritics and look-alike letters folded, invisible characters
// dropped, so "ki\u00adll", "ｋｉｌｌ" and a Cyrillic "і" all read as "kill". An offset map keeps every
// span pointing into the text the person wrote. Linear: one pass, and ASCII text is returned as is.

import { data } from './data.js';

export interface Normalized {
  /** The text rules and models read. */
  text: string;
  /** Per character of `text`: where its source starts and ends in the original (null when identical). */
  starts: Int32Array | null;
  ends: Int32Array | null;
}

const FOLD = data.confusables.fold;

/** Unicode's default-ignorable code points that people (and evasions) put inside words. */
export function isIgnorable(c: number): boolean {
  return (
    c === 0xad ||
    c === 0x34f ||
    c === 0x61c ||
    c === 0x115f ||
    c === 0x1160 ||
    c === 0x17b4 ||
    c === 0x17b5 ||
    (c >= 0x180b && c <= 0x180f) ||
    (c >= 0x200b && c <= 0x200f) ||
    (c >= 0x202a && c <= 0x202e) ||
    (c >= 0x2060 && c <= 0x206f) ||
    c === 0x3164 ||
    c === 0xfeff ||
    c === 0xffa0 ||
    (c >= 0x1bca0 && c <= 0x1bca3) ||
    (c >= 0xe0000 && c <= 0xe0fff)
  );
}

// Variation selectors and the joiner hold emoji sequences together: kept after an emoji, dropped elsewhere.
const isEmojiGlue = (c: number): boolean => c === 0x200d || (c >= 0xfe00 && c <= 0xfe0f);
const isEmojiBase = (c: number): boolean =>
  c >= 0x1f000 || (c >= 0x2190 && c <= 0x2bff) || c === 0x2764 || c === 0x20e3;
const isMark = (c: number): boolean =>
  (c >= 0x300 && c <= 0x36f) ||
  (c >= 0x1ab0 && c <= 0x1aff) ||
  (c >= 0x1dc0 && c <= 0x1dff) ||
  (c >= 0x20d0 && c <= 0x20ef) ||
  (c >= 0xfe20 && c <= 0xfe2f);
// Non-ASCII characters the tokenizer already reads as they are (curly quotes, ellipsis, spaces).
const KEEP = new Set([0x2018, 0x2019, 0x201c, 0x201d, 0x2026, 0x2013, 0x2014, 0xa0, 0x02bc]);

/** What one code point (with the marks that follow it) reads as. */
function fold(chunk: string): string {
  // NFKD splits "é" into "e" and its accent and maps fullwidth and mathematical letters to ASCII;
  // the accents go, and NFC puts back together anything else (Hangul, for one).
  let s = chunk.normalize('NFKD');
  let out = '';
  for (const ch of s) {
    const c = ch.codePointAt(0)!;
    if (isMark(c) || (isIgnorable(c) && !isEmojiGlue(c))) continue;
    out += FOLD[ch] ?? ch;
  }
  s = out.normalize('NFC');
  return s;
}

export function normalize(text: string): Normalized {
  const n = text.length;
  let i = 0;
  while (i < n) {
    const c = text.charCodeAt(i);
    if (c < 0x80 || KEEP.has(c)) i++;
    else break;
  }
  if (i === n) return { text, starts: null, ends: null };
  // a combining mark belongs to the letter before it: start the slow path at that letter
  if (i > 0 && isMark(text.charCodeAt(i))) i--;

  const parts: string[] = [text.slice(0, i)];
  const starts: number[] = [];
  const ends: number[] = [];
  for (let k = 0; k < i; k++) {
    starts.push(k);
    ends.push(k + 1);
  }
  let prevEmoji = false;
  while (i < n) {
    const c = text.codePointAt(i)!;
    const width = c > 0xffff ? 2 : 1;
    if ((c < 0x80 || KEEP.has(c)) && !(i + 1 < n && isMark(text.charCodeAt(i + 1)))) {
      parts.push(text[i]!);
      starts.push(i);
      ends.push(i + 1);
      prevEmoji = false;
      i++;
      continue;
    }
    if (isEmojiGlue(c) && prevEmoji) {
      parts.push(text.slice(i, i + width));
      for (let k = 0; k < width; k++) {
        starts.push(i);
        ends.push(i + width);
      }
      i += width;
      continue;
    }
    if (isIgnorable(c) || isEmojiGlue(c)) {
      i += width; // dropped: the neighbours' spans still cover it
      continue;
    }
    // a base character and the combining marks after it are folded together
    let j = i + width;
    while (j < n && isMark(text.charCodeAt(j))) j++;
    const chunk = text.slice(i, j);
    const out = isEmojiBase(c) ? chunk : fold(chunk);
    prevEmoji = isEmojiBase(c);
    parts.push(out);
    for (let k = 0; k < out.length; k++) {
      starts.push(i);
      ends.push(j);
    }
    i = j;
  }
  return { text: parts.join(''), starts: Int32Array.from(starts), ends: Int32Array.from(ends) };
}

/** True when nothing in the text would be read: empty, blank, or only invisible characters. */
export function isBlank(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const c = text.codePointAt(i)!;
    if (c > 0xffff) {
      // tag characters and the supplementary variation selectors draw nothing either
      if ((c >= 0xe0000 && c <= 0xe007f) || (c >= 0xe0100 && c <= 0xe01ef)) {
        i++;
        continue;
      }
      return false;
    }
    if (
      c === 32 ||
      c < 32 || // control characters say nothing
      (c >= 0x7f && c <= 0x9f) ||
      c === 0x2800 || // braille blank, a favourite for "empty" names
      c === 0xffa0 ||
      c === 0xa0 ||
      (c >= 0x2000 && c <= 0x200a) ||
      c === 0x2028 ||
      c === 0x2029 ||
      c === 0x3000 ||
      c === 0x1680 ||
      c === 0x85
    )
      continue;
    if (isIgnorable(c) || isEmojiGlue(c)) continue;
    return false;
  }
  return true;
}
