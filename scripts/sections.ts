// docs/benchmarks.md is written by several scripts; each owns one section between
// <!-- name:start --> and <!-- name:end --> and leaves the others as they are.
import { readFileSync, writeFileSync } from 'node:fs';

export function writeSection(file: string, name: string, body: string): void {
  const md = `<!-- ${name}:start -->\n${body}\n<!-- ${name}:end -->`;
  const old = readFileSync(file, 'utf8');
  const re = new RegExp(`<!-- ${name}:start -->[\\s\\S]*<!-- ${name}:end -->`);
  writeFileSync(file, re.test(old) ? old.replace(re, () => md) : `${old.trimEnd()}\n\n${md}\n`);
}
