import assert from 'node:assert/strict';
import { mkdtemp } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { test } from 'node:test';
import { runCli, spawnCli } from '../helpers/cli.ts';
import { testMongoUri } from '../helpers/mongo.ts';

test('--help lists the commands', async () => {
  const result = await runCli(['--help']);
  assert.equal(result.code, 0);
  for (const name of ['serve', 'migrate', 'hubspot-project']) assert.match(result.stdout, new RegExp(`\\b${name}\\b`));
});

test('an unknown command exits with 2 and says so', async () => {
  const result = await runCli(['frobnicate']);
  assert.equal(result.code, 2);
  assert.match(result.stderr, /unknown command "frobnicate"/);
});

test('a bad environment variable stops start-up with one line naming it, exit 2', async () => {
  const result = await runCli(['serve'], { PORT: 'eighty' });
  assert.equal(result.code, 2);
  assert.equal(result.stderr.trim().split('\n').length, 1);
  assert.match(result.stderr, /^propensity serve: PORT: /);
});

test('serve: ready on /readyz, says where to open it, stops cleanly on SIGTERM', async () => {
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'propensity-serve-'));
  const uri = (await testMongoUri()).replace('/?', '/serve_test?');
  const child = spawnCli(['serve'], { PORT: '0', DATA_DIR: dataDir, MONGODB_URI: uri, LOG_LEVEL: 'info' });
  const lines = createInterface({ input: child.stdout! });
  const url = await new Promise<string>((resolve, reject) => {
    lines.on('line', (line) => {
      const entry = JSON.parse(line);
      if (typeof entry.msg === 'string' && entry.msg.startsWith('Propensity is ready: open ')) resolve(entry.url);
    });
    child.once('exit', (code) => reject(new Error(`serve exited early with ${code}`)));
  });
  const ready = await fetch(`${url}/readyz`);
  assert.equal(ready.status, 200);
  const metrics = await fetch(`${url}/metrics`);
  assert.equal(metrics.status, 200);
  assert.match(await metrics.text(), /propensity_webhook_events_total/);
  const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  assert.equal(await exited, 0);
});
