/**
 * The settings form on a portal's page: CSRF-checked (bound to the portal and the session), validated
 * whole (a threshold out of range gets a message and nothing is saved), and previewed before saving
 * (how many scored records each threshold change would move).
 */
import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { portalSettingsModel } from '../../src/db/models/portal-settings.ts';
import { portalModel } from '../../src/db/models/portal.ts';
import { recordScoreModel } from '../../src/db/models/record-score.ts';
import { startSandbox } from '../../src/sandbox/start-sandbox.ts';
import { installPortal, startTestPropensity } from '../helpers/propensity.ts';

const sandbox = await startSandbox({ seed: 41 });
const propensity = await startTestPropensity(sandbox, 'web_settings_form');
after(async () => {
  await propensity.close();
  await sandbox.close();
});
const portal = sandbox.addPortal({ contacts: 20, seed: 3 });
const { portalId } = portal;
const cookieOf = (res: Response) => res.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
const admin = cookieOf(await installPortal(propensity, sandbox, portalId));
const otherBrowser = cookieOf(await installPortal(propensity, sandbox, portalId));
const pageOf = async (cookie: string) => (await fetch(`${propensity.url}/portals/${portalId}`, { headers: { cookie } })).text();
const csrfIn = (html: string) => /name="csrf" value="([^"]+)"/.exec(html)![1];
const post = (path: string, fields: Record<string, string>, cookie = admin) =>
  fetch(`${propensity.url}${path}`, { method: 'POST', redirect: 'manual', headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(fields) });
const saved = () => portalSettingsModel(propensity.connection).countDocuments({ portalId });

test('CSRF: a settings post without the token, with a wrong one or with another session\'s token is refused (403), nothing saved', async () => {
  const csrf = csrfIn(await pageOf(admin));
  const othersToken = csrfIn(await pageOf(otherBrowser));
  assert.notEqual(csrf, othersToken, 'tokens are per session');
  assert.equal((await post(`/portals/${portalId}/settings`, { salesFastTrack: '0.3' })).status, 403, 'no token');
  assert.equal((await post(`/portals/${portalId}/settings`, { csrf: 'x'.repeat(43), salesFastTrack: '0.3' })).status, 403, 'wrong token');
  assert.equal((await post(`/portals/${portalId}/settings`, { csrf: othersToken, salesFastTrack: '0.3' })).status, 403, 'another session\'s token');
  assert.equal((await post(`/portals/${portalId}/uninstall`, { csrf: othersToken })).status, 403, 'uninstall is CSRF-checked too');
  assert.equal(await saved(), 0);
  assert.equal((await portalModel(propensity.connection).findOne({ portalId }).lean())?.status, 'installed');
});

test('validation: a threshold out of range gets a message on the form, nothing saved; a good change is saved and shown', async () => {
  const csrf = csrfIn(await pageOf(admin));
  const bad = await post(`/portals/${portalId}/settings`, { csrf, salesFastTrack: '1.5' });
  assert.equal(bad.status, 400);
  const html = await bad.text();
  assert.match(html, /id="settings-problems"/);
  assert.match(html, /decisions\.salesFastTrack: Too big: expected number to be &lt;=1/);
  const notNumber = await post(`/portals/${portalId}/settings`, { csrf, hysteresis: 'lots' });
  assert.equal(notNumber.status, 400);
  assert.equal(await saved(), 0, 'nothing saved');

  const good = await post(`/portals/${portalId}/settings`, { csrf, salesFastTrack: '0.35' });
  assert.equal(good.status, 303);
  assert.equal(good.headers.get('location'), `/portals/${portalId}?saved=1`);
  const settings = (await (await fetch(`${propensity.url}/portals/${portalId}/api/settings`, { headers: { cookie: admin } })).json()) as { decisions: { salesFastTrack: number } };
  assert.equal(settings.decisions.salesFastTrack, 0.35);
  assert.match(await pageOf(admin), /name="salesFastTrack" type="number" step="0.01" value="0.35"/);
});

test('preview: how many scored records each threshold change would move, read-only; a bad change answers 400 with the problem', async () => {
  const scores = recordScoreModel(propensity.connection);
  const lead = [0.05, 0.2, 0.3, 0.32, 0.4, 0.6];
  const churn = [0.1, 0.35, 0.5];
  await scores.insertMany([
    ...lead.map((probability, i) => ({ portalId, objectType: 'contacts', objectId: `l${i}`, target: 'lead', probability })),
    ...churn.map((probability, i) => ({ portalId, objectType: 'contacts', objectId: `c${i}`, target: 'churn', probability })),
  ]);
  const preview = async (query: string) => fetch(`${propensity.url}/portals/${portalId}/api/settings/preview?${query}`, { headers: { cookie: admin } });
  const answer = await preview('salesFastTrack=0.3&marketingNurture=0.15&retentionPlaybook=0.3');
  assert.equal(answer.status, 200);
  const { moves } = (await answer.json()) as { moves: { threshold: string; records: number; moves: string }[] };
  // Saved before: salesFastTrack 0.35, retentionPlaybook 0.4 (default), marketingNurture unchanged.
  assert.deepEqual(moves.map((m) => [m.threshold, m.records, m.moves]), [
    ['salesFastTrack', 2, 'marketing_nurture → sales_fast_track'], // leads 0.3 and 0.32 are in [0.3, 0.35)
    ['retentionPlaybook', 1, 'none → retention_playbook'], // the customer at 0.35 is in [0.3, 0.4)
  ]);

  const bad = await preview('marketingNurture=0.5');
  assert.equal(bad.status, 400);
  assert.match(((await bad.json()) as { problems: string[] }).problems.join(' '), /nurture threshold must be below the sales fast-track threshold/);
  const injected = await preview('salesFastTrack[$gt]=0');
  assert.equal(injected.status, 200, 'an object in the query is ignored, not passed on');
  const settings = (await (await fetch(`${propensity.url}/portals/${portalId}/api/settings`, { headers: { cookie: admin } })).json()) as { decisions: { salesFastTrack: number; retentionPlaybook: number } };
  assert.deepEqual([settings.decisions.salesFastTrack, settings.decisions.retentionPlaybook], [0.35, 0.4], 'a preview saves nothing');
});
