// Small shared helpers for the lenses.

import { MAX_CHARS } from './types.js';
import { isBlank } from './normalize.js';

export class InputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'InputError';
  }
}

/** Validate what a lens is given: a string, not blank. Longer texts are read up to MAX_CHARS. */
export function readText(text: unknown, what = 'text'): string {
  if (typeof text !== 'string') throw new InputError(`${what} must be a string`);
  // text made only of spaces or invisible characters (zero-width, soft hyphens) has nothing to read
  if (isBlank(text)) throw new InputError(`${what} is empty`);
  if (text.length <= MAX_CHARS) return text;
  // never cut a surrogate pair in half
  const cut =
    text.charCodeAt(MAX_CHARS - 1) >= 0xd800 && text.charCodeAt(MAX_CHARS - 1) <= 0xdbff
      ? MAX_CHARS - 1
      : MAX_CHARS;
  return text.slice(0, cut);
}

/** Noisy-or: independent pieces of evidence that each make something more likely. */
export function noisyOr(weights: number[]): number {
  let p = 1;
  for (const w of weights) p *= 1 - Math.max(0, Math.min(1, w));
  return 1 - p;
}

export function round2(x: number): number {
  return Math.round(x * 100) / 100;
}

/** FNV-1a: a stable small hash, so the same message always gets the same wording. */
export function hash(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

export function fill(template: string, vars: Record<string, string>): string {
  return template.replace(/\{(\w+)\}/g, (_, k: string) => vars[k] ?? '');
}
