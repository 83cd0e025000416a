import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { createProgressDisplay, progressBar } from '../../src/cli/progress-display.ts';
import { startSandbox } from '../../src/sandbox/start-sandbox.ts';
import { syncPortalNow } from '../../src/sync/sync-portal-now.ts';
import { describeProgress, formatDuration, progressFigures, type ProgressFigures, type SyncProgress } from '../../src/sync/sync-progress.ts';
import { runCli } from '../helpers/cli.ts';
import { createCluster, stop } from '../helpers/processes.ts';
import { installPortal, startTestPropensity, type TestPropensity } from '../helpers/propensity.ts';
import { assertCopyEquals } from '../helpers/sync-copy.ts';

const sandbox = await startSandbox({ seed: 71 });
const propensity = await startTestPropensity(sandbox, 'cli_sync', { hubspot: { backoffMs: 20 } });
after(async () => {
  await propensity.close();
  await sandbox.close();
});
const { connection } = propensity;

test('rate and time left: records of this run over its time, the rest at that rate', () => {
  const progress: SyncProgress = { objectType: 'contacts', done: 3_000, total: 10_000, resumedAt: new Date(0), doneAtResume: 500, finished: false };
  assert.deepEqual(progressFigures(progress, new Date(5_000)), { objectType: 'contacts', done: 3_000, total: 10_000, percent: 30, ratePerSecond: 500, etaSeconds: 14, finished: false });
  assert.equal(progressFigures({ ...progress, done: 9_990 }, new Date(5_000)).etaSeconds, 1, 'under way, never "0 s left"');
  assert.equal(progressFigures({ ...progress, done: 500 }, new Date(5_000)).ratePerSecond, null, 'nothing done in this run yet');
  assert.deepEqual(progressFigures({ ...progress, done: 10_000, finished: true }, new Date(5_000)).etaSeconds, 0);
  assert.equal(formatDuration(169), '2 min 49 s');
  assert.equal(formatDuration(3_900), '1 h 5 min');
  assert.equal(describeProgress(progressFigures(progress, new Date(5_000))), 'contacts 3,000 / 10,000 (30 %) · 500 records/s · about 14 s left');
});

/** Runs `propensity sync`'s core, collecting its progress reports. */
async function syncNow(app: TestPropensity, portalId: number, full = false) {
  const reports: { progress: SyncProgress; figures: ProgressFigures }[] = [];
  const results = await syncPortalNow(app.connection, app.services.hubspot.forPortal(portalId), {
    full,
    onProgress: (progress) => reports.push({ progress, figures: progressFigures(progress, new Date()) }),
  });
  return { reports, results };
}

test('the sync reports done/total, rate and time left page by page, and ends with a copy equal to HubSpot', async () => {
  const p = sandbox.addPortal({ contacts: 300, seed: 71 });
  assert.equal((await installPortal(propensity, sandbox, p.portalId)).status, 303);
  const { reports, results } = await syncNow(propensity, p.portalId);

  const expected = { companies: p.companies, contacts: p.contacts, deals: p.deals };
  assert.deepEqual([...new Set(reports.map((r) => r.progress.objectType))], ['companies', 'contacts', 'deals']);
  for (const [type, total] of Object.entries(expected)) {
    const mine = reports.filter((r) => r.progress.objectType === type);
    assert.equal(mine.length, Math.ceil(total / 50), `${type}: one report a page`);
    assert.ok(mine.every((r, i) => i === 0 || r.figures.done > mine[i - 1].figures.done), `${type}: done only grows`);
    assert.ok(mine.every((r) => r.figures.total === total && r.figures.ratePerSecond! > 0), `${type}: total and a rate on every report`);
    assert.ok(mine.slice(0, -1).every((r) => r.figures.etaSeconds! > 0 && r.figures.percent < 100 && !r.figures.finished), `${type}: time left while under way`);
    const last = mine[mine.length - 1].figures;
    assert.deepEqual([last.done, last.percent, last.etaSeconds], [total, 100, 0], `${type}: finished`);
  }
  assert.deepEqual(results.map((r) => [r.objectType, r.records]), Object.entries(expected));
  await assertCopyEquals(sandbox, propensity, p.portalId);

  // Run again after changes: nothing read twice, the changes picked up.
  sandbox.simulateActivity(p.portalId, { contacts: 12, seed: 3 });
  const again = await syncNow(propensity, p.portalId);
  assert.deepEqual(again.reports.map((r) => [r.progress.objectType, r.figures.percent]), [['companies', 100], ['contacts', 100], ['deals', 100]], 'one finished report per type');
  assert.ok(again.results.find((r) => r.objectType === 'contacts')!.changed >= 10);
  await assertCopyEquals(sandbox, propensity, p.portalId);
});

test('--full reads everything again and drops what HubSpot deleted', async () => {
  const p = sandbox.addPortal({ contacts: 120, seed: 72 });
  assert.equal((await installPortal(propensity, sandbox, p.portalId)).status, 303);
  await syncNow(propensity, p.portalId);
  const registration = sandbox.apps().find((a) => a.clientId === propensity.app.clientId)!;
  sandbox.registerApp({ ...registration, webhookTargetUrl: undefined }); // the deletion below sends no webhook
  try {
    const [contactId] = sandbox.portal(p.portalId).ids('contacts');
    sandbox.simulate(p.portalId, { type: 'archive', objectType: 'contacts', objectId: contactId });
    const { reports, results } = await syncNow(propensity, p.portalId, true);
    assert.equal(reports.filter((r) => r.progress.objectType === 'contacts').length, Math.ceil((p.contacts - 1) / 50), 'every contact page read again');
    assert.equal(results.find((r) => r.objectType === 'contacts')!.deleted, 1);
    await assertCopyEquals(sandbox, propensity, p.portalId);
  } finally {
    sandbox.registerApp(registration);
  }
});

test('the display: a bar redrawn in place on a terminal, plain lines every few seconds elsewhere', () => {
  const figures = (done: number, etaSeconds: number): ProgressFigures => ({ objectType: 'contacts', done, total: 100, percent: done, ratePerSecond: 50, etaSeconds, finished: etaSeconds === 0 });
  assert.equal(progressBar(figures(50, 1)), 'contacts  [############------------]  50 %  50 / 100 · 50 records/s · about 1 s left');

  let clock = 0;
  const plain: string[] = [];
  const piped = createProgressDisplay({ isTTY: false, write: (t) => plain.push(t) }, { plainEveryMs: 5_000, now: () => clock });
  for (const [at, done] of [[0, 10], [1_000, 20], [5_000, 60], [6_000, 80], [6_500, 100]]) {
    clock = at;
    piped.update(figures(done, done === 100 ? 0 : 3));
  }
  piped.printAbove('{"msg":"a log line"}\n');
  assert.deepEqual(plain.slice(0, 3).map((l) => l.split(' ')[1]), ['10', '60', '100'], 'the first, one 5 s later, the finished one');
  assert.equal(plain[3], '{"msg":"a log line"}\n');
  assert.ok(plain.every((l) => !l.includes('\r') && l.endsWith('\n')));

  const terminal: string[] = [];
  const tty = createProgressDisplay({ isTTY: true, write: (t) => terminal.push(t) });
  tty.update(figures(10, 3));
  tty.update(figures(20, 2));
  tty.printAbove('{"msg":"a log line"}\n');
  tty.end();
  const screen = terminal.join('');
  assert.equal(screen.split('\n').length, 3, 'the bar keeps its line; the log line goes above it');
  assert.ok(screen.includes('\r\x1b[2K{"msg":"a log line"}\ncontacts  [#####'), 'the line cleared, the log line, the bar again');
});

test('`propensity sync --portal ID` against the configured MongoDB and HubSpot app: progress lines, then the summary', async () => {
  const cluster = await createCluster(sandbox, 'cli_sync_process');
  const web = await cluster.start('web');
  try {
    const p = sandbox.addPortal({ contacts: 100, seed: 73 });
    assert.equal((await installPortal({ url: cluster.webUrl } as TestPropensity, sandbox, p.portalId)).status, 303);
    const result = await runCli(['sync', '--portal', String(p.portalId)], cluster.env);
    assert.equal(result.code, 0, result.stderr);
    const lines = result.stdout.trim().split('\n');
    assert.ok(lines.some((l) => /^contacts 100 \/ 100 \(100 %\) · [\d,]+ records\/s · finished$/.test(l)), `a plain progress line when contacts finish:\n${result.stdout}`);
    const logged = lines.filter((l) => l.startsWith('{')).map((l) => JSON.parse(l));
    assert.ok(logged.some((l) => l.objectType === 'contacts' && l.done === 100 && l.total === 100 && l.etaSeconds === 0 && l.ratePerSecond > 0), 'the logs carry the figures');
    assert.ok(lines.includes('contacts: 100 records, 0 changed since'), 'the summary');
    const copy = connection.useDb(new URL(cluster.mongoUri).pathname.slice(1)).collection('crm_objects');
    assert.equal(await copy.countDocuments({ portalId: p.portalId, objectType: 'contacts' }), 100);

    const unknown = await runCli(['sync', '--portal', '123'], cluster.env);
    assert.equal(unknown.code, 1);
    assert.match(unknown.stderr, /portal 123 has not installed Propensity/);
  } finally {
    await stop(web);
  }
});
