/**
 * `npm run test:unit`: starts one embedded MongoDB engine for the whole run, then runs every
 * `test/**\/*.test.ts` file with Node's test runner; each file gets its own database (test/helpers/mongo.ts).
 */
import { spawn } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import path from 'node:path';
import { startEmbeddedMongo } from '../src/db/embedded/start-embedded-mongodb.ts';
import { projectRoot } from '../src/install/app-definition.ts';

const only = process.argv.slice(2);
const testDir = path.join(projectRoot, 'test');
const files = only.length > 0 ? only : findTests(testDir);

const dataDir = path.join(projectRoot, '.data');
const dbPath = path.join(dataDir, 'test-runs', `mongodb-${process.pid}`);
const mongo = await startEmbeddedMongo({ dbPath, runtimeDir: path.join(dataDir, 'runtime'), say: (l) => console.log(l) });

const code = await new Promise<number>((resolve) => {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', '--test', '--test-concurrency=2', ...files],
    { stdio: 'inherit', env: { ...process.env, PROPENSITY_TEST_MONGODB_URI: mongo.uri, NODE_ENV: 'test' } },
  );
  child.on('exit', (exitCode, signal) => resolve(exitCode ?? (signal ? 1 : 0)));
});
await mongo.stop();
await rm(dbPath, { recursive: true, force: true });
process.exit(code);

function findTests(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith('.test.ts'))
    .map((entry) => path.relative(projectRoot, path.join(entry.parentPath, entry.name)))
    .filter((file) => !file.startsWith(`test${path.sep}bench`))
    .sort();
}
