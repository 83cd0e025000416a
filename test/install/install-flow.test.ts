import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { crmObjectModel } from '../../src/db/models/crm-object.ts';
import { jobModel } from '../../src/db/models/job.ts';
import { portalModel } from '../../src/db/models/portal.ts';
import { syncStateModel } from '../../src/db/models/sync-state.ts';
import { PortalAccessLostError } from '../../src/hubspot/errors.ts';
import { deleteRefusedPortalsPastRetention, markNeedsReauthorisation } from '../../src/install/portal-access.ts';
import { loadConfig } from '../../src/config.ts';
import { jobHandlers, jobTypes } from '../../src/pipeline/job-handlers.ts';
import { defaultSchedule, scheduledTasks } from '../../src/pipeline/scheduled-tasks.ts';
import { portalStatus } from '../../src/web/portal-status.ts';
import { OAuthStateStore, oauthBrowserCookie } from '../../src/install/oauth-state-store.ts';
import { startSandbox } from '../../src/sandbox/start-sandbox.ts';
import { oauthStateSecret } from '../../src/services.ts';
import { toCrmRecord } from '../../src/sync/crm-record.ts';
import { storeRecords } from '../../src/sync/store-records.ts';
import { installPortal, startTestPropensity } from '../helpers/propensity.ts';

const sandbox = await startSandbox({ seed: 21 });
const propensity = await startTestPropensity(sandbox, 'install_flow', { tokenTimeoutMs: 500 });
after(async () => {
  await propensity.close();
  await sandbox.close();
});
const one = sandbox.addPortal({ contacts: 30, seed: 1 });
const two = sandbox.addPortal({ contacts: 40, seed: 2 });
const { connection, services } = propensity;
const portals = portalModel(connection);
const tokenRequests = () => sandbox.state.requestCounts.get(`token:${propensity.app.appId}`) ?? 0;

test('install /oauth/install redirects to HubSpot with client id, redirect URL, app.json scopes and a state', async () => {
  const start = await fetch(`${propensity.url}/oauth/install`, { redirect: 'manual' });
  assert.equal(start.status, 302);
  const location = new URL(start.headers.get('location')!);
  assert.equal(`${location.origin}${location.pathname}`, `${sandbox.url}/oauth/authorize`);
  assert.equal(location.searchParams.get('client_id'), propensity.app.clientId);
  assert.equal(location.searchParams.get('redirect_uri'), `${propensity.url}/oauth/callback`);
  assert.equal(location.searchParams.get('scope'), propensity.app.requiredScopes.join(' '));
  assert.match(location.searchParams.get('state')!, /^[\w-]+\.\d+\.[\w-]+$/);
});

test('two portals install; each portal\'s calls use its own token; a third install of portal 1 updates it', async () => {
  for (const portal of [one, two]) {
    const callback = await installPortal(propensity, sandbox, portal.portalId);
    assert.equal(callback.status, 303);
    assert.equal(callback.headers.get('location'), `/portals/${portal.portalId}`);
  }
  const stored = await portals.find().lean();
  assert.deepEqual(stored.map((p) => p.portalId).sort(), [one.portalId, two.portalId].sort());
  for (const p of stored) {
    assert.equal(p.status, 'installed');
    assert.ok(p.scopes!.includes('crm.objects.contacts.read'));
    assert.match(p.hubDomain!, /hubspot\.example$/);
  }
  const jobs = await jobModel(connection).find({ portalId: one.portalId }).lean();
  assert.deepEqual(jobs.map((j) => j.type).sort(), ['portal.create-properties', 'portal.initial-sync']);

  for (const portal of [one, two]) {
    const before = sandbox.state.requestCounts.get(`requests:${portal.portalId}`) ?? 0;
    const page = await services.hubspot.forPortal(portal.portalId).call((c) => c.crm.objects.basicApi.getPage('contacts', 100));
    assert.equal(page.results.length, portal.contacts === 30 ? 30 : 40, 'the portal\'s own contacts');
    assert.equal(sandbox.state.requestCounts.get(`requests:${portal.portalId}`), before + 1);
  }

  const again = await installPortal(propensity, sandbox, one.portalId);
  assert.equal(again.status, 303);
  assert.equal(await portals.countDocuments({ portalId: one.portalId }), 1, 'never duplicated');
  assert.equal((await portals.findOne({ portalId: one.portalId }).lean())!.installCount, 2);
  assert.equal(await jobModel(connection).countDocuments({ portalId: one.portalId, status: 'queued' }), 2, 'onboarding not queued twice');
});

test('tokens in MongoDB are ciphertext: the raw collection holds no token string', async () => {
  const raw = JSON.stringify(await connection.db!.collection('portals').find().toArray());
  const issued = [...sandbox.state.accessTokens.keys(), ...sandbox.state.refreshTokens.keys()];
  assert.ok(issued.length >= 4);
  for (const token of issued) assert.ok(!raw.includes(token), 'no token in clear');
  assert.ok(!raw.includes('sbx-at-') && !raw.includes('sbx-rt-'));
});

test('an expired access token is refreshed once under 20 concurrent calls', async () => {
  sandbox.configure({ tokenExpiresIn: 2 });
  const callback = await installPortal(propensity, sandbox, two.portalId);
  assert.equal(callback.status, 303);
  sandbox.configure({ tokenExpiresIn: 1800 });
  services.tokens.forget(two.portalId);
  await new Promise((r) => setTimeout(r, 2_100));
  const before = tokenRequests();
  const answers = await Promise.all(Array.from({ length: 20 }, () => services.hubspot.forPortal(two.portalId).call((c) => c.crm.objects.basicApi.getPage('contacts', 1))));
  assert.equal(answers.length, 20);
  assert.equal(tokenRequests() - before, 1, 'one token request');
  const portal = await portals.findOne({ portalId: two.portalId }).lean();
  assert.ok(portal!.tokens!.expiresAt.getTime() > Date.now() + 1_000_000);
});

test('uninstalled in HubSpot: the client reports the refused refresh, the portal needs re-authorisation, its data goes only after the retention period', async () => {
  await storeRecords(connection, one.portalId, [toCrmRecord('contacts', { id: '1', properties: { email: 'x@y.z' } })]);
  assert.equal(await crmObjectModel(connection).countDocuments({ portalId: one.portalId }), 1);
  sandbox.uninstall(one.portalId, Number(propensity.app.appId));
  const refused = await services.hubspot.forPortal(one.portalId).call((c) => c.crm.objects.basicApi.getPage('contacts', 1)).then(() => undefined, (error: unknown) => error);
  assert.ok(refused instanceof PortalAccessLostError, String(refused));
  assert.equal(refused.reason, 'refresh-token-rejected');
  assert.equal((await portals.findOne({ portalId: one.portalId }).lean())!.status, 'installed', 'the HubSpot client only reports');
  const markedAt = new Date();
  assert.equal(await markNeedsReauthorisation(connection, one.portalId, refused.reason, markedAt), true);
  assert.equal(await markNeedsReauthorisation(connection, one.portalId, refused.reason), false, 'once');
  assert.deepEqual(await deleteRefusedPortalsPastRetention(connection, 30, new Date(markedAt.getTime() + 29 * 86_400_000)), [], 'kept within the retention period');
  assert.equal(await crmObjectModel(connection).countDocuments({ portalId: one.portalId }), 1);
  assert.deepEqual(await deleteRefusedPortalsPastRetention(connection, 30, new Date(markedAt.getTime() + 30 * 86_400_000)), [one.portalId]);
  const portal = await portals.findOne({ portalId: one.portalId }).lean();
  assert.equal(portal!.status, 'uninstalled');
  assert.equal(portal!.uninstallReason, 'refresh-token-rejected');
  assert.equal(portal!.tokens, undefined);
  assert.ok(portal!.uninstalledAt);
  assert.ok(portal!.firstInstalledAt, 'the audit record keeps the install time');
  assert.equal(await crmObjectModel(connection).countDocuments({ portalId: one.portalId }), 0);
  assert.equal(await jobModel(connection).countDocuments({ portalId: one.portalId }), 0);
});

test('two 401s in a row: one refresh and retry, then nothing deleted, the portal needs re-authorisation; re-installing resumes without a full re-sync', async () => {
  const three = sandbox.addPortal({ contacts: 120, seed: 3 });
  assert.equal((await installPortal(propensity, sandbox, three.portalId)).status, 303);
  const handlers = jobHandlers(services);
  const job = (type: string) => ({ portalId: three.portalId, type, payload: {} }) as never;
  await handlers[jobTypes.initialSync](job(jobTypes.initialSync));
  const records = await crmObjectModel(connection).countDocuments({ portalId: three.portalId });
  assert.equal(records, three.contacts + three.companies + three.deals);

  sandbox.configure({ faults: { refuseAccessTokens: true } });
  const requests = () => sandbox.counters().portals[String(three.portalId)].requests + (sandbox.state.requestCounts.get(`refused-token:${three.portalId}`) ?? 0);
  try {
    const [requestsBefore, refreshesBefore] = [requests(), tokenRequests()];
    await handlers[jobTypes.incrementalSync](job(jobTypes.incrementalSync));
    assert.equal(requests() - requestsBefore, 2, 'the request, and once more after one refresh');
    assert.equal(tokenRequests() - refreshesBefore, 1, 'one refresh');
    const status = (await portalStatus(connection, three.portalId))!;
    assert.equal(status.needsReauthorisation, true);
    assert.equal(status.reauthorisation?.reason, 'access-refused');
    assert.equal(await crmObjectModel(connection).countDocuments({ portalId: three.portalId }), records, 'nothing deleted');
    assert.ok(await syncStateModel(connection).exists({ portalId: three.portalId, 'initial.status': 'done' }), 'the sync state kept');
    // Nothing more is asked of HubSpot for it until it is installed again.
    await handlers[jobTypes.incrementalSync](job(jobTypes.incrementalSync));
    assert.equal(requests() - requestsBefore, 2);
  } finally {
    sandbox.configure({ faults: { refuseAccessTokens: false } });
  }
  assert.equal((await installPortal(propensity, sandbox, three.portalId)).status, 303, 'installing again re-authorises');
  assert.equal((await portalStatus(connection, three.portalId))!.needsReauthorisation, false);
  const requestsBefore = requests();
  await handlers[jobTypes.initialSync](job(jobTypes.initialSync));
  assert.equal(requests() - requestsBefore, 0, 'the initial sync is not run again');
  await handlers[jobTypes.incrementalSync](job(jobTypes.incrementalSync));
  assert.ok(requests() - requestsBefore <= 6, `the incremental sync resumes from its watermark (${requests() - requestsBefore} requests)`);
  assert.equal(await crmObjectModel(connection).countDocuments({ portalId: three.portalId }), records);
});

async function storedState() {
  return { portals: await portals.countDocuments(), installs: (await portals.find().lean()).map((p) => `${p.portalId}:${p.installCount}:${p.status}`).sort().join(',') };
}

/** The callback as the browser that started the flow of the query's `state` calls it (with its cookie). */
async function callback(query: string) {
  const state = new URLSearchParams(query).get('state');
  const cookie = state ? oauthBrowserCookie(state) : '';
  return fetch(`${propensity.url}/oauth/callback?${query}`, { redirect: 'manual', headers: { accept: 'application/json', cookie } });
}

test('declined consent, missing/forged/expired/reused state, bogus or reused code: clear errors, nothing stored', async () => {
  const before = await storedState();
  const declined = await installPortal(propensity, sandbox, two.portalId, 'decline');
  assert.equal(declined.status, 403);
  assert.equal(((await declined.json()) as { title: string }).title, 'Installation cancelled');

  const issue = () => services.stateStore.issue();
  assert.equal((await callback(`code=abc`)).status, 403, 'missing state');
  const forged = (await issue()).replace(/.$/, (c) => (c === 'A' ? 'B' : 'A'));
  assert.equal((await callback(`code=abc&state=${forged}`)).status, 403, 'forged state');
  const expiredStore = new OAuthStateStore(connection, oauthStateSecret(services.keyring), () => new Date(Date.now() - 11 * 60_000));
  assert.equal((await callback(`code=abc&state=${await expiredStore.issue()}`)).status, 403, 'expired state');
  const used = await issue();
  await services.stateStore.claim(used);
  assert.equal((await callback(`code=abc&state=${used}`)).status, 403, 'reused state');
  assert.equal((await callback(`code=not-a-code&state=${await issue()}`)).status, 400, 'bogus code');
  assert.equal((await callback(`state=${await issue()}`)).status, 400, 'no code');
  const html = await fetch(`${propensity.url}/oauth/callback?error=access_denied`, { headers: { accept: 'text/html' } });
  assert.equal(html.status, 403);
  assert.match(await html.text(), /<h1>Installation cancelled<\/h1>/);
  assert.deepEqual(await storedState(), before);
});

test('a code used twice: the second callback is refused and changes nothing', async () => {
  const start = await fetch(`${propensity.url}/oauth/install`, { redirect: 'manual' });
  const authorize = new URL(start.headers.get('location')!);
  const consent = await fetch(`${sandbox.url}/oauth/authorize/decision`, {
    method: 'POST', redirect: 'manual',
    body: new URLSearchParams({ client_id: propensity.app.clientId, redirect_uri: authorize.searchParams.get('redirect_uri')!, scope: authorize.searchParams.get('scope')!, state: authorize.searchParams.get('state')!, portal_id: String(two.portalId), decision: 'approve' }),
  });
  const code = new URL(consent.headers.get('location')!).searchParams.get('code')!;
  assert.equal((await callback(`code=${code}&state=${authorize.searchParams.get('state')}`)).status, 303);
  const before = await storedState();
  assert.equal((await callback(`code=${code}&state=${await services.stateStore.issue()}`)).status, 400);
  assert.deepEqual(await storedState(), before);
});

test('HubSpot\'s token endpoint failing or hanging: 502 / 504, nothing stored', async () => {
  const before = await storedState();
  sandbox.configure({ faults: { tokenEndpointStatus: 503 } });
  const failed = await installPortal(propensity, sandbox, two.portalId);
  assert.equal(failed.status, 502);
  sandbox.configure({ faults: { tokenEndpointStatus: undefined, tokenEndpointStallMs: 1_500 } });
  const hung = await installPortal(propensity, sandbox, two.portalId);
  assert.equal(hung.status, 504);
  sandbox.configure({ faults: { tokenEndpointStallMs: undefined } });
  assert.deepEqual(await storedState(), before);
});

test('an admin uninstall tells HubSpot, then deletes the tokens and data', async () => {
  const { adminUninstall } = await import('../../src/install/admin-uninstall.ts');
  assert.equal((await installPortal(propensity, sandbox, two.portalId)).status, 303);
  await storeRecords(connection, two.portalId, [toCrmRecord('contacts', { id: '9', properties: {} })]);
  await adminUninstall(connection, services.hubspot, two.portalId);
  assert.equal(sandbox.state.installs.has(`${two.portalId}:${propensity.app.appId}`), false, 'HubSpot was told');
  const portal = await portals.findOne({ portalId: two.portalId }).lean();
  assert.equal(portal!.status, 'uninstalled');
  assert.equal(portal!.uninstallReason, 'admin-uninstalled');
  assert.equal(await crmObjectModel(connection).countDocuments({ portalId: two.portalId }), 0);
});

test('the scheduler deletes a refused install once its retention period (REFUSED_TOKEN_RETENTION_DAYS) is over, and keeps one inside it', async () => {
  const expired = sandbox.addPortal({ contacts: 5, seed: 5 });
  const recent = sandbox.addPortal({ contacts: 5, seed: 6 });
  for (const portal of [expired, recent]) {
    assert.equal((await installPortal(propensity, sandbox, portal.portalId)).status, 303);
    await storeRecords(connection, portal.portalId, [toCrmRecord('contacts', { id: '1', properties: { email: 'x@y.z' } })]);
  }
  const day = 86_400_000;
  await markNeedsReauthorisation(connection, expired.portalId, 'refresh-token-rejected', new Date(Date.now() - 8 * day));
  await markNeedsReauthorisation(connection, recent.portalId, 'refresh-token-rejected', new Date(Date.now() - 6 * day));
  const task = scheduledTasks(connection, { ...defaultSchedule, refusedTokenRetentionDays: 7 }).find((t) => t.name === 'refused-token-retention');
  assert.ok(task, 'a scheduled task deletes refused installs past their retention');
  assert.equal(task.cron, defaultSchedule.deletionReconciliation);
  await task.run('test');
  assert.equal((await portals.findOne({ portalId: expired.portalId }).lean())!.status, 'uninstalled');
  assert.equal(await crmObjectModel(connection).countDocuments({ portalId: expired.portalId }), 0);
  assert.equal((await portals.findOne({ portalId: recent.portalId }).lean())!.status, 'needs-reauthorisation');
  assert.equal(await crmObjectModel(connection).countDocuments({ portalId: recent.portalId }), 1, 'kept within the retention period');
  assert.equal(loadConfig({}).schedule.refusedTokenRetentionDays, 30);
  assert.equal(loadConfig({ REFUSED_TOKEN_RETENTION_DAYS: '7' }).schedule.refusedTokenRetentionDays, 7);
  assert.throws(() => loadConfig({ REFUSED_TOKEN_RETENTION_DAYS: '0' }), /REFUSED_TOKEN_RETENTION_DAYS/);
});
