// npm run rules: write docs/rules.md from the engine's data files.
import { writeFileSync } from 'node:fs';
import { rulesTable } from '../packages/engine/src/rules-table.ts';

writeFileSync(new URL('../docs/rules.md', import.meta.url), rulesTable());
process.stdout.write('wrote docs/rules.md\n');
