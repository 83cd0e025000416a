/**
 * The embedded engine as the app runs it (openDatabase without MONGODB_URI): killed, it is started
 * again on the same data and the connection works again; its data files are this user's only; and
 * `propensity migrate` while it runs uses it instead of failing with DBPathInUse.
 */
import assert from 'node:assert/strict';
import { mkdir, readdir, rm, stat, symlink } from 'node:fs/promises';
import path from 'node:path';
import { after, test } from 'node:test';
import { migrate } from '../../src/cli/commands/migrate.ts';
import { loadConfig } from '../../src/config.ts';
import { isMongoReady } from '../../src/db/connect-mongo.ts';
import { openDatabase } from '../../src/db/open-database.ts';
import { projectRoot } from '../../src/install/app-definition.ts';
import { createLogger } from '../../src/log.ts';
import { runCommand } from '../helpers/cli.ts';
import { eventually } from '../helpers/propensity.ts';

const dataDir = path.join(projectRoot, '.data', 'test-runs', `engine-${process.pid}`);
await mkdir(dataDir, { recursive: true });
await symlink(path.join(projectRoot, '.data', 'runtime'), path.join(dataDir, 'runtime')).catch(() => {});
const config = loadConfig({ DATA_DIR: dataDir, LOG_LEVEL: 'silent' });
const lost: Error[] = [];
const database = await openDatabase(config, createLogger({ level: 'silent' }), { onEngineLost: (error) => lost.push(error) });
after(async () => {
  await database.close();
  await rm(dataDir, { recursive: true, force: true });
});

async function filesOf(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true });
  const nested = await Promise.all(entries.map((e) => (e.isDirectory() ? filesOf(path.join(dir, e.name)) : [path.join(dir, e.name)])));
  return [dir, ...nested.flat()];
}

test('the engine\u2019s data folder and files are readable by this user only', async () => {
  await database.connection.db!.collection('probe').insertOne({ email: 'admin@example.com' });
  for (const file of await filesOf(path.join(dataDir, 'mongodb'))) {
    const { mode } = await stat(file);
    assert.equal(mode & 0o077, 0, `${path.relative(dataDir, file)} has mode ${(mode & 0o777).toString(8)}`);
  }
});

test('propensity migrate while the app runs on the embedded engine uses that engine', async (t) => {
  const saved = process.env.DATA_DIR;
  process.env.DATA_DIR = dataDir;
  try {
    const result = await runCommand(t, migrate, []);
    assert.equal(result.code, 0, result.err.join('\n'));
    assert.ok(result.out.some((line) => /\.ts\s+\d{4}-/.test(line)), `the applied migrations listed: ${result.out.join('\n')}`);
  } finally {
    if (saved === undefined) delete process.env.DATA_DIR;
    else process.env.DATA_DIR = saved;
  }
  assert.ok(await isMongoReady(database.connection), 'the app\u2019s engine still answers');
});

test('a killed engine is started again on the same data and the connection works again', async () => {
  const before = database.embedded!;
  await database.connection.db!.collection('kept').insertOne({ _id: 'before-the-kill' as never }, { writeConcern: { w: 1, j: true } });
  process.kill(before.pid!, 'SIGKILL');
  await eventually(async () => database.embedded !== before && (await isMongoReady(database.connection)), 45_000, 'the engine back and the connection answering');
  assert.equal(database.embedded!.port, before.port, 'the same address');
  assert.notEqual(database.embedded!.pid, before.pid);
  assert.equal(await database.connection.db!.collection('kept').countDocuments({ _id: 'before-the-kill' as never }), 1, 'the data kept');
  assert.deepEqual(lost, []);
});
