/**
 * Every query the portal's pages and API make, on the embedded engine, for a portal of realistic
 * size (5,000 scored contacts and 1,000 scored companies, with the output values the app writes): none
 * may answer 500. The embedded build has no slot-based execution engine, and its default plan ranker
 * samples through that engine once a collection is large enough: `scores.find({ portalId,
 * lastWriteError: { $exists: true } })` then failed, and the page and /api/status with it.
 */
import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { startSandbox } from '../../src/sandbox/start-sandbox.ts';
import { startTestPropensity } from '../helpers/propensity.ts';
import { signedInSession } from '../helpers/session.ts';

const PORTAL = 31_800_001;
const sandbox = await startSandbox({ seed: 18 });
after(() => sandbox.close());
const propensity = await startTestPropensity(sandbox, 'embedded-queries');
after(() => propensity.close());
const { connection } = propensity;

const now = new Date();
await connection.db!.collection('portals').insertOne({ portalId: PORTAL, status: 'installed', hubDomain: 'big.example', firstInstalledAt: now, installedAt: now, installCount: 1 });
const reason = 'Visited the pricing page 4 times in the last 14 days; opened 6 marketing e-mails; works at a company of 200–500 people';
const scores = [];
for (const [objectType, count] of [['contacts', 5000], ['companies', 1000]] as const) {
  for (let i = 0; i < count; i++) {
    const probability = (i * 7919) % 1000 / 1000;
    const values = [
      { name: objectType === 'contacts' ? 'propensity_lead_score' : 'propensity_churn_risk', value: String(Math.round(probability * 100)) },
      { name: 'propensity_tier', value: probability > 0.6 ? 'hot' : probability > 0.3 ? 'warm' : 'cold' },
      { name: 'propensity_reasons', value: reason },
      { name: 'propensity_enrolment', value: probability > 0.6 ? 'sales-fast-track' : 'none' },
      { name: 'propensity_scored_at', value: now.toISOString() },
    ];
    scores.push({
      portalId: PORTAL, objectType, objectId: String(100_000 + i), target: objectType === 'contacts' ? 'lead' : 'churn', probability,
      modelVersion: 'rule-1', enrolment: values[3].value, control: i % 10 === 0, scoredAt: now, values, written: values, writtenAt: now,
      writePending: i % 50 === 0, revision: 1, writeAttempts: 0, rescoreRequested: false,
      ...(i % 300 === 0 ? { lastWriteError: 'PROPERTY_DOESNT_EXIST: propensity_tier' } : {}),
      ...(probability > 0.6 ? { qualifiedFor: 'sales-fast-track', qualifiedAt: now, qualifiedControl: i % 10 === 0 } : {}),
    });
  }
}
await connection.db!.collection('scores').insertMany(scores);
const { cookie } = await signedInSession(connection, propensity.services.keyring, [PORTAL]);

test('the portal page and every API route answer (no 500) for a portal with 6,000 scored records on the embedded engine', async () => {
  const routes = [
    `/portals/${PORTAL}`,
    `/portals/${PORTAL}/api/status`,
    `/portals/${PORTAL}/api/models`,
    `/portals/${PORTAL}/api/send-times`,
    `/portals/${PORTAL}/api/settings`,
    `/portals/${PORTAL}/api/settings/preview?salesFastTrack=0.4&marketingNurture=0.2&retentionPlaybook=0.5`,
    '/',
  ];
  for (const route of routes) {
    const answer = await fetch(`${propensity.url}${route}`, { headers: { cookie } });
    const body = await answer.text();
    assert.equal(answer.status, 200, `${route} answered ${answer.status}: ${body.slice(0, 300)}`);
  }
  const status = (await (await fetch(`${propensity.url}/portals/${PORTAL}/api/status`, { headers: { cookie } })).json()) as { scoring: { writeErrors: unknown[] } };
  assert.equal(status.scoring.writeErrors.length, 10, 'the write errors are listed (20 records have one; the page shows 10)');
});
