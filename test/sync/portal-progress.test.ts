import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { startSandbox } from '../../src/sandbox/start-sandbox.ts';
import { syncPortal } from '../../src/sync/sync-portal.ts';
import type { PortalStatus } from '../../src/web/portal-status.ts';
import { installPortal, startTestPropensity } from '../helpers/propensity.ts';

const sandbox = await startSandbox({ seed: 81 });
const propensity = await startTestPropensity(sandbox, 'portal_progress');
after(async () => {
  await propensity.close();
  await sandbox.close();
});

test("the portal's page shows records done/total, the rate and the time left of a sync under way", async () => {
  const p = sandbox.addPortal({ contacts: 400, seed: 81 });
  const installed = await installPortal(propensity, sandbox, p.portalId);
  const cookie = installed.headers.get('set-cookie')!.split(';')[0];
  // Stopped after one page of companies, as a crash would leave it.
  assert.equal(await syncPortal(propensity.connection, propensity.services.hubspot.forPortal(p.portalId), { maxPages: 1 }), 'paused');

  const status = (await (await fetch(`${propensity.url}/portals/${p.portalId}/api/status`, { headers: { cookie } })).json()) as PortalStatus;
  const companies = status.sync.find((s) => s.objectType === 'companies')!;
  assert.deepEqual([companies.status, companies.done, companies.total], ['running', 50, p.companies]);
  assert.ok(companies.ratePerSecond! > 0, `a rate (${companies.ratePerSecond})`);
  assert.ok(companies.etaSeconds! > 0, `time left (${companies.etaSeconds})`);

  const html = await (await fetch(`${propensity.url}/portals/${p.portalId}`, { headers: { cookie } })).text();
  assert.match(html, new RegExp(`50 / ${p.companies}</td><td class="state">running · <span class="pace">[\\d,]+ records/s · about \\d+ (s|min \\d+ s) left</span>`));
});
