import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { Client } from '@hubspot/api-client';
import { startSandbox } from '../../src/sandbox/start-sandbox.ts';
import { authorize, bearer, sandboxWithApp, testApp } from './fixtures.ts';

const sandbox = await sandboxWithApp({ seed: 4, rateLimit: { perTenSeconds: 3 } });
after(() => sandbox.close());
const limited = sandbox.createPortal({ contacts: 5, seed: 4 });
const other = sandbox.createPortal({ contacts: 5, seed: 5 });

test('the 10-second limit: 429 with HubSpot\'s body and headers; another portal is unaffected; the client\'s own retry succeeds', async () => {
  const tokens = await authorize(sandbox, limited.portalId);
  const answers = [];
  for (let i = 0; i < 4; i++) answers.push(await fetch(`${sandbox.url}/crm/v3/objects/contacts?limit=1`, { headers: bearer(tokens.accessToken, false) }));
  assert.deepEqual(answers.map((a) => a.status), [200, 200, 200, 429]);
  assert.deepEqual(answers.map((a) => a.headers.get('x-hubspot-ratelimit-remaining')), ['2', '1', '0', '0']);
  for (const a of answers) {
    assert.equal(a.headers.get('x-hubspot-ratelimit-max'), '3');
    assert.equal(a.headers.get('x-hubspot-ratelimit-interval-milliseconds'), '10000');
  }
  const body = (await answers[3].json()) as Record<string, unknown>;
  assert.equal(body.status, 'error');
  assert.equal(body.errorType, 'RATE_LIMIT');
  assert.equal(body.policyName, 'TEN_SECONDLY_ROLLING');
  assert.equal(body.message, 'You have reached your ten_secondly_rolling limit.');
  assert.match(String(body.correlationId), /^[0-9a-f-]{36}$/);
  assert.equal(sandbox.counters().portals[limited.portalId].rateLimited, 1);

  const otherTokens = await authorize(sandbox, other.portalId);
  assert.equal((await fetch(`${sandbox.url}/crm/v3/objects/contacts?limit=1`, { headers: bearer(otherTokens.accessToken, false) })).status, 200, 'each portal has its own budget');

  // @hubspot/api-client waits 10 s after a TEN_SECONDLY_ROLLING 429, then tries again.
  const retrying = new Client({ accessToken: tokens.accessToken, basePath: sandbox.url, numberOfApiCallRetries: 2 });
  const started = Date.now();
  const page = await retrying.crm.objects.basicApi.getPage('contacts', 1);
  assert.equal(page.results.length, 1);
  assert.ok(Date.now() - started >= 9_000, 'it succeeded after waiting out the window');
});

test('search has its own limit of 5 a second, with the body the client recognises', async () => {
  const s = await sandboxWithApp({ seed: 6 });
  try {
    const p = s.createPortal({ contacts: 5, seed: 6 });
    const tokens = await authorize(s, p.portalId);
    const statuses = [];
    let limitedBody: Record<string, unknown> = {};
    for (let i = 0; i < 7; i++) {
      const answer = await fetch(`${s.url}/crm/v3/objects/contacts/search`, { method: 'POST', headers: bearer(tokens.accessToken), body: '{}' });
      statuses.push(answer.status);
      if (answer.status === 429) limitedBody = (await answer.json()) as Record<string, unknown>;
    }
    assert.deepEqual(statuses, [200, 200, 200, 200, 200, 429, 429]);
    assert.deepEqual([limitedBody.errorType, limitedBody.policyName, limitedBody.message], ['RATE_LIMIT', 'SECONDLY', 'You have reached your secondly limit.']);
    assert.equal((await fetch(`${s.url}/crm/v3/objects/contacts?limit=1`, { headers: bearer(tokens.accessToken, false) })).status, 200, 'other endpoints go on');
    s.setRateLimit({ searchPerSecond: 100 }, p.portalId);
    await new Promise((r) => setTimeout(r, 1_000));
    for (let i = 0; i < 10; i++) assert.equal((await fetch(`${s.url}/crm/v3/objects/contacts/search`, { method: 'POST', headers: bearer(tokens.accessToken), body: '{}' })).status, 200);
  } finally {
    await s.close();
  }
});

test('faults: a seeded share of 429 and 502 answers, the same run for the same seed; stalls delay answers', async () => {
  const run = async () => {
    const s = await startSandbox({ seed: 77, autoApprove: true, apps: [testApp], faults: { errorRate: 0.5 } });
    try {
      const p = s.createPortal({ contacts: 3, seed: 1 });
      const tokens = await authorize(s, p.portalId);
      const statuses: number[] = [];
      for (let i = 0; i < 40; i++) statuses.push((await fetch(`${s.url}/crm/v3/objects/contacts?limit=1`, { headers: bearer(tokens.accessToken, false) })).status);
      return { statuses, faults: s.counters().portals[p.portalId].faults };
    } finally {
      await s.close();
    }
  };
  const first = await run();
  assert.deepEqual(await run(), first, 'reproducible');
  assert.deepEqual([...new Set(first.statuses)].sort(), [200, 429, 502]);
  assert.equal(first.faults, first.statuses.filter((c) => c !== 200).length);

  const s = await startSandbox({ seed: 78, autoApprove: true, apps: [testApp] });
  try {
    const p = s.createPortal({ contacts: 3, seed: 1 });
    const tokens = await authorize(s, p.portalId);
    s.setFaults({ stallRate: 1, stallMs: 300 });
    const started = Date.now();
    assert.equal((await fetch(`${s.url}/crm/v3/objects/contacts?limit=1`, { headers: bearer(tokens.accessToken, false) })).status, 200);
    assert.ok(Date.now() - started >= 290);
    s.setFaults({ stallRate: 0 });
  } finally {
    await s.close();
  }
});
