// Safety resources as links a phone can tap: numbers are read only from the configured resource text,
// never invented. "Text 741741" becomes an sms: link, any other number a tel: link.

export interface ResourceLink {
  /** The number as written in the resource ("999", "+44 800 000 000"). */
  text: string;
  /** tel:NUMBER or sms:NUMBER, digits and a leading + only. */
  href: string;
  /** UTF-16 offsets of the number in the resource text. */
  start: number;
  end: number;
}

const isDigit = (c: number): boolean => c >= 48 && c <= 57;
// Separators people write inside a phone number.
const isJoin = (c: number): boolean => c === 32 || c === 45 || c === 46 || c === 40 || c === 41 || c === 0xa0;

/** The phone numbers in one resource line, in order; one linear pass. */
export function resourceLinks(resource: string): ResourceLink[] {
  const out: ResourceLink[] = [];
  const n = Math.min(resource.length, 2000);
  let i = 0;
  while (i < n) {
    const c = resource.charCodeAt(i);
    const plus = c === 43 && i + 1 < n && isDigit(resource.charCodeAt(i + 1));
    // a number starts at a digit (or +digit) that does not continue a word ("B12", "24/7" stays text)
    if (!(isDigit(c) || plus) || (i > 0 && /[\p{L}\d/]/u.test(resource[i - 1]!))) {
      i++;
      continue;
    }
    const start = i;
    let digits = plus ? '+' : '';
    let end = i;
    if (plus) i++;
    while (i < n) {
      const d = resource.charCodeAt(i);
      if (isDigit(d)) {
        digits += resource[i];
        end = ++i;
      } else if (isJoin(d)) {
        // up to three separators between digit groups: "+44 (0) 800", "555-0100"
        let j = i;
        while (j < n && j < i + 3 && isJoin(resource.charCodeAt(j))) j++;
        if (j < n && isDigit(resource.charCodeAt(j))) i = j;
        else break;
      } else break;
    }
    // "+44 (0) 800…": the bracketed trunk zero is dialled only from inside the country
    if (plus && resource.slice(start, end).includes('(0)'))
      digits = `+${resource.slice(start, end).replace('(0)', '').replace(/\D/g, '')}`;
    const count = digits.replace('+', '').length;
    // 3 digits (911, 112, 999) to 15 (E.164); years and times ("2024", "24/7") are not numbers to call
    const after = resource[end] ?? '';
    if (
      count >= 3 &&
      count <= 15 &&
      !/[\p{L}/:]/u.test(after) &&
      !(count === 4 && /^(19|20)\d\d$/.test(digits))
    ) {
      const before = resource.slice(Math.max(0, start - 24), start).toLowerCase();
      const sms = /\b(text|sms)\b[^.;]*$/.test(before);
      out.push({ text: resource.slice(start, end), href: `${sms ? 'sms' : 'tel'}:${digits}`, start, end });
    }
    i = Math.max(i, start + 1);
  }
  return out;
}
