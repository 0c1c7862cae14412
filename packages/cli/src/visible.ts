// Text from the input is shown to a person on a terminal: a control character in it (an OSC title or
// clipboard sequence, a cursor move, a carriage return that overwrites the line) must be seen, not
// obeyed. Each becomes one visible stand-in of the same UTF-16 length, so every span still points at
// the same characters and the carets stay under them.

const C1_AND_BIDI = /[\u0080-\u009f\u202a-\u202e\u2066-\u2069]/g;

/** C0 controls as their Control Pictures (␛ for ESC, ␍ for CR), DEL as ␡, C1 and bidi overrides as �.
 * Newlines and tabs stay: the renderer lays lines out with them. */
export function visible(s: string): string {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is the point
  const c0 = /[\u0000-\u0008\u000b-\u001f]/g;
  return s
    .replace(c0, (c) => String.fromCharCode(0x2400 + c.charCodeAt(0)))
    .replace(/\u007f/g, '\u2421')
    .replace(C1_AND_BIDI, '\ufffd');
}

/** The same, through every string in a result (the text, quotes, suggestions). */
export function visibleDeep<T>(x: T): T {
  if (typeof x === 'string') return visible(x) as T;
  if (Array.isArray(x)) return x.map(visibleDeep) as T;
  if (x && typeof x === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(x)) out[k] = visibleDeep(v);
    return out as T;
  }
  return x;
}
