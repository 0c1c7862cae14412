import { soften, tokenize, eventOf, read } from '@steady/engine';
import { messageSplit } from '../packages/learn/src/messages.ts';
const rs = messageSplit().train;
let n = 0, kept = 0, noEvent = 0; const out: string[] = [];
for (const r of rs) {
  const s = soften(r.text); if (s.safety) continue;
  const words = (r.event ?? '').toLowerCase().split(/\W+/).filter((w) => w.length > 3 && !['your','you','that','this','with','have','about','from','never','always'].includes(w));
  if (!words.length) continue; n++;
  const soft = new Set(tokenize(s.softened).map((t) => t.norm));
  const ok = words.filter((w) => soft.has(w)).length >= Math.ceil(words.length / 2);
  if (ok) kept++; else { const e = read(r.text).event; if (!e) noEvent++; if (out.length < 25) out.push(`EVENT: ${r.event}\nTEXT: ${r.text.slice(0,140)}\nSOFT: ${s.softened}\nfound: ${e ? e.speaker : '-'}\n`); }
}
console.log(`dev: kept ${kept}/${n} = ${(kept/n).toFixed(3)}; misses with no event found: ${noEvent}`);
console.log(out.join('\n'));
