/**
 * The CRM card HubSpot shows on a contact or company record: the request must carry a valid
 * signature v3 at most 5 minutes old (else 401; a v2 signature has no timestamp and could be
 * replayed forever, so it alone is refused), and the answer is HubSpot's card shape with the score, tier, top
 * reasons and decision. Signatures are made here with @hubspot/api-client's own `Signature`, an
 * independent implementation of HubSpot's rules.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Signature } from '@hubspot/api-client';
import request from 'supertest';
import { portalModel } from '../../src/db/models/portal.ts';
import { recordScoreModel } from '../../src/db/models/record-score.ts';
import { normaliseSignedUri } from '../../src/webhooks/verify-signature.ts';
import { CRM_CARD_PATH, type CrmCardResponse } from '../../src/web/crm-card-routes.ts';
import { testHubSpotApp, testWebApp } from '../helpers/app.ts';

const app = testHubSpotApp();
const { web, connection } = await testWebApp('web_crm_card', app);
const PORTAL = 62_000_001;
const now = new Date();
await portalModel(connection).create({ portalId: PORTAL, status: 'installed', firstInstalledAt: now, installedAt: now });
const leadValues = {
  propensity_lead_score: '72', propensity_lead_tier: 'A', propensity_conversion_probability: '0.72',
  propensity_lead_reasons: 'Form submissions (last 90 days): 2 (raises the score)', propensity_churn_risk: '', propensity_churn_tier: '', propensity_churn_reasons: '',
  propensity_enrolment: 'sales_fast_track', propensity_enrolment_reason: 'conversion probability 72 % is at or above the sales threshold 50 %', propensity_model_version: 'lead-2',
};
await recordScoreModel(connection).create([
  { portalId: PORTAL, objectType: 'contacts', objectId: '101', target: 'lead', probability: 0.72, values: Object.entries(leadValues).map(([name, value]) => ({ name, value })) },
  { portalId: PORTAL, objectType: 'companies', objectId: '7', target: 'churn', probability: 0.55, values: Object.entries({ propensity_churn_risk: '55', propensity_churn_tier: 'A', propensity_churn_reasons: 'Open deals: 0 (raises the risk)', propensity_enrolment: 'retention_playbook', propensity_enrolment_reason: 'churn risk 55 %', propensity_model_version: 'churn-1' }).map(([name, value]) => ({ name, value })) },
]);

const query = (objectType: string, objectId: string) => `${CRM_CARD_PATH}?userId=5&userEmail=rep%40example.com&associatedObjectId=${objectId}&associatedObjectType=${objectType}&portalId=${PORTAL}`;

/** HubSpot signs v3 over the URI with some escapes decoded (`%40` → `@`); the client library leaves that to its caller. */
function signedV3(path: string, secret = app.clientSecret, timestamp = Date.now()) {
  const signature = Signature.getSignature('GET', 'v3', { method: 'GET', signatureVersion: 'v3', clientSecret: secret, requestBody: '', url: normaliseSignedUri(`${app.publicUrl}${path}`), timestamp, signature: '' });
  return request(web).get(path).set('X-HubSpot-Signature-v3', signature).set('X-HubSpot-Request-Timestamp', String(timestamp)).set('X-HubSpot-Signature-Version', 'v3');
}

function signedV2(path: string, secret = app.clientSecret) {
  const signature = Signature.getSignature('GET', 'v2', { method: 'GET', signatureVersion: 'v2', clientSecret: secret, requestBody: '', url: `${app.publicUrl}${path}`, signature: '' });
  return request(web).get(path).set('X-HubSpot-Signature', signature).set('X-HubSpot-Signature-Version', 'v2');
}

test('a contact\'s card, signed v3: score, tier, top reasons and decision in HubSpot\'s card shape', async () => {
  const answer = await signedV3(query('CONTACT', '101'));
  assert.equal(answer.status, 200);
  const card = answer.body as CrmCardResponse;
  assert.equal(card.results.length, 1);
  const [result] = card.results;
  assert.equal(result.objectId, 101);
  assert.equal(typeof result.title, 'string');
  assert.deepEqual(result.properties.map((p) => [p.label, p.dataType, p.value]), [
    ['Lead score', 'NUMERIC', 72],
    ['Tier', 'STRING', 'A'],
    ['Top reasons', 'STRING', leadValues.propensity_lead_reasons],
    ['Decision', 'STATUS', 'sales_fast_track'],
    ['Why', 'STRING', leadValues.propensity_enrolment_reason],
    ['Model', 'STRING', 'lead-2'],
  ]);
});

test('a company\'s card, signed v3: its churn risk; the same request signed only v2 (replayable) is refused', async () => {
  assert.equal((await signedV2(query('COMPANY', '7'))).status, 401, 'a genuine v2 signature alone');
  const answer = await signedV3(query('COMPANY', '7'));
  assert.equal(answer.status, 200);
  const [result] = (answer.body as CrmCardResponse).results;
  assert.deepEqual(result.properties.slice(0, 2).map((p) => [p.label, p.value]), [['Churn risk', 55], ['Tier', 'A']]);
});

test('a record not scored yet, or a portal that is not installed: an empty card, not an error', async () => {
  assert.deepEqual((await signedV3(query('CONTACT', '999'))).body, { results: [] });
  const other = `${CRM_CARD_PATH}?associatedObjectId=101&associatedObjectType=CONTACT&portalId=1234`;
  assert.deepEqual((await signedV3(other)).body, { results: [] });
});

test('bad signatures get 401: unsigned, another secret (v2 and v3), a stale v3 timestamp, a changed query', async () => {
  const path = query('CONTACT', '101');
  assert.equal((await request(web).get(path)).status, 401, 'unsigned');
  assert.equal((await signedV2(path, 'not-the-secret')).status, 401, 'v2, other secret');
  assert.equal((await signedV3(path, 'not-the-secret')).status, 401, 'v3, other secret');
  assert.equal((await signedV3(path, app.clientSecret, Date.now() - 6 * 60_000)).status, 401, 'v3 older than 5 minutes');
  const signature = Signature.getSignature('GET', 'v2', { method: 'GET', signatureVersion: 'v2', clientSecret: app.clientSecret, requestBody: '', url: `${app.publicUrl}${path}`, signature: '' });
  const tampered = await request(web).get(query('CONTACT', '102')).set('X-HubSpot-Signature', signature).set('X-HubSpot-Signature-Version', 'v2');
  assert.equal(tampered.status, 401, 'a signature for another record');
  assert.equal((await request(web).get(path).set('X-HubSpot-Signature', signature).set('X-HubSpot-Signature-Version', 'v1')).status, 401, 'v1 is not accepted');
});

test('a valid signature on a malformed request: 400, and no query value reaches MongoDB as an operator', async () => {
  const answer = await signedV3(`${CRM_CARD_PATH}?associatedObjectId[$ne]=1&associatedObjectType=CONTACT&portalId=${PORTAL}`);
  assert.equal(answer.status, 400);
});
