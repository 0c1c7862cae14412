// The scenario schema, checked by hand so a reviewer's typo names its place: "couple/invisible:
// turns[1].defensive.reaction must be escalate or withdraw".
import { RELATIONSHIPS, type Scenario } from './types.js';

const ID = /^[a-z0-9][a-z0-9-]{1,47}$/;
const MAX = 600;

export function validate(x: unknown, where = 'scenario'): string[] {
  const errors: string[] = [];
  const obj = (v: unknown, path: string): Record<string, unknown> | null => {
    if (!v || typeof v !== 'object' || Array.isArray(v)) {
      errors.push(`${path} must be an object`);
      return null;
    }
    return v as Record<string, unknown>;
  };
  const str = (o: Record<string, unknown>, k: string, path: string) => {
    const v = o[k];
    if (typeof v !== 'string' || !v.trim()) errors.push(`${path}.${k} must be a non-empty string`);
    else if (v.length > MAX) errors.push(`${path}.${k} is longer than ${MAX} characters`);
    else if (v !== v.trim()) errors.push(`${path}.${k} has leading or trailing space`);
  };
  const only = (o: Record<string, unknown>, keys: string[], path: string) => {
    for (const k of Object.keys(o)) if (!keys.includes(k)) errors.push(`${path} has an unknown field "${k}"`);
  };
  const line = (v: unknown, path: string, extra: string[] = []) => {
    const o = obj(v, path);
    if (!o) return;
    only(o, ['say', 'beneath', 'model', ...extra], path);
    for (const k of ['say', 'beneath', 'model']) str(o, k, path);
    return o;
  };
  const s = obj(x, where);
  if (!s) return errors;
  const name = typeof s.id === 'string' ? `${where} ${s.id}` : where;
  only(s, ['id', 'title', 'relationship', 'context', 'source', 'opening', 'turns', 'close'], name);
  if (typeof s.id !== 'string' || !ID.test(s.id)) errors.push(`${name}: id must match ${ID}`);
  str(s, 'title', name);
  if (typeof s.title === 'string' && s.title.length > 80)
    errors.push(`${name}.title is longer than 80 characters`);
  if (!RELATIONSHIPS.includes(s.relationship as never))
    errors.push(`${name}.relationship must be one of ${RELATIONSHIPS.join(', ')}`);
  str(s, 'context', name);
  if (s.source !== undefined && s.source !== 'essay') errors.push(`${name}.source may only be "essay"`);
  line(s.opening, `${name}.opening`);
  if (!Array.isArray(s.turns) || s.turns.length < 3)
    errors.push(`${name}.turns must list at least 3 follow-ups`);
  else
    s.turns.forEach((t, i) => {
      const o = obj(t, `${name}.turns[${i}]`);
      if (!o) return;
      only(o, ['steady', 'defensive'], `${name}.turns[${i}]`);
      line(o.steady, `${name}.turns[${i}].steady`);
      const d = line(o.defensive, `${name}.turns[${i}].defensive`, ['reaction']);
      if (d && d.reaction !== 'escalate' && d.reaction !== 'withdraw')
        errors.push(`${name}.turns[${i}].defensive.reaction must be escalate or withdraw`);
    });
  const c = obj(s.close, `${name}.close`);
  if (c) {
    only(c, ['steady', 'defensive'], `${name}.close`);
    str(c, 'steady', `${name}.close`);
    str(c, 'defensive', `${name}.close`);
  }
  return errors;
}

/** Validate a whole library: each scenario, and ids unique across files. */
export function validateAll(list: unknown[]): string[] {
  const errors = list.flatMap((x, i) => validate(x, `scenario #${i}`));
  const seen = new Set<string>();
  for (const x of list) {
    const id = (x as Scenario | null)?.id;
    if (typeof id !== 'string') continue;
    if (seen.has(id)) errors.push(`duplicate scenario id "${id}"`);
    seen.add(id);
  }
  return errors;
}
