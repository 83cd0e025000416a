/**
 * `npm run bench`: runs every `test/bench/*.bench.ts` (or the ones named) one after another, each in
 * its own process so timings and memory do not disturb each other. Long: not part of `npm test`.
 */
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const wanted = process.argv.slice(2);
const benches = readdirSync(here)
  .filter((f) => f.endsWith('.bench.ts'))
  .filter((f) => wanted.length === 0 || wanted.some((w) => f.includes(w)))
  .sort();
let failed = 0;
for (const bench of benches) {
  console.log(`\n=== ${bench} ===`);
  const result = spawnSync(process.execPath, ['--import', 'tsx', path.join(here, bench)], { stdio: 'inherit' });
  if (result.status !== 0) failed += 1;
}
console.log(`\n${benches.length - failed} benchmarks passed, ${failed} failed`);
process.exit(failed > 0 ? 1 : 0);
