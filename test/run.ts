/**
 * `npm run test:unit`: starts one embedded MongoDB engine for the whole run, then runs every
 * `test/**\/*.test.ts` file with Node's test runner; each file gets its own database (test/helpers/mongo.ts).
 *
 * The pure core's tests (plain data in, plain data out: no database, no server, no child process)
 * run together in one process: each process start costs seconds of CPU compiling the same modules,
 * and there are dozens of those files. Every other file keeps a process of its own.
 */
import { spawn } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { startEmbeddedMongo } from '../src/db/embedded/start-embedded-mongodb.ts';
import { projectRoot } from '../src/install/app-definition.ts';

/** Folders of the pure core's tests; a file there that needs MongoDB or a process belongs elsewhere. */
const pureCoreFolders = ['learners', 'tabular', 'uplift', 'send-time', 'decisions'];
/** Pure-core files that still want a process of their own: auto's test times the event loop while a worker trains (other files' garbage would pause it). */
const ownProcess = [path.join('test', 'learners', 'auto.test.ts')];

const only = process.argv.slice(2);
const testDir = path.join(projectRoot, 'test');
const dataDir = path.join(projectRoot, '.data');
const runDir = path.join(dataDir, 'test-runs');
const dbPath = path.join(runDir, `mongodb-${process.pid}`);
const files = only.length > 0 ? only : await groupPureCore(findTests(testDir));

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
await rm(path.join(runDir, `pure-core-${process.pid}.test.mjs`), { force: true });
process.exit(code);

function findTests(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith('.test.ts'))
    .map((entry) => path.relative(projectRoot, path.join(entry.parentPath, entry.name)))
    .filter((file) => !file.startsWith(`test${path.sep}bench`))
    .sort();
}

/** The pure core's files as one entry that imports them all (first, so it never runs last alone), then the rest. */
async function groupPureCore(all: string[]): Promise<string[]> {
  const isPure = (file: string) => pureCoreFolders.includes(file.split(path.sep)[1]) && !ownProcess.includes(file);
  const pure = all.filter(isPure);
  if (pure.length < 2) return all;
  await mkdir(runDir, { recursive: true });
  const entry = path.join(runDir, `pure-core-${process.pid}.test.mjs`);
  const lines = pure.map((file) => `await import(${JSON.stringify(pathToFileURL(path.join(projectRoot, file)).href)});`);
  await writeFile(entry, `// The pure core's tests in one process (test/run.ts).\n${lines.join('\n')}\n`);
  return [path.relative(projectRoot, entry), ...all.filter((file) => !isPure(file))];
}
