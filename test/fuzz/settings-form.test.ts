/**
 * The portal settings form (POST /portals/:id/settings, with access and a valid CSRF token) under
 * random field values: every post is either saved (303) with values inside the documented ranges,
 * or refused whole with the reasons (400) and nothing saved. Never a 500.
 */
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { after, test } from 'node:test';
import fc from 'fast-check';
import supertest from 'supertest';
import { portalSettingsModel } from '../../src/db/models/portal-settings.ts';
import { oauthStateSecret } from '../../src/services.ts';
import { loadPortalSettings, type PortalSettings } from '../../src/settings/portal-settings.ts';
import { csrfToken } from '../../src/web/settings-routes.ts';
import { testWebApp } from '../helpers/app.ts';
import { operatorKeys } from '../helpers/operator-keys.ts';
import { signedInSession } from '../helpers/session.ts';

fc.configureGlobal({ endOnFailure: true, includeErrorInReport: true });

const { web, services, connection } = await testWebApp('fuzz_settings');
const server = createServer(web);
await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
after(() => new Promise<void>((resolve) => server.close(() => resolve())));

const PORTAL = 4242;
const secret = oauthStateSecret(services.keyring);
const session = await signedInSession(connection, services.keyring, [PORTAL]);
const accessCookie = session.cookie;
const csrf = csrfToken(secret, PORTAL, session.request);

const numberFields = ['salesFastTrack', 'marketingNurture', 'retentionPlaybook', 'hysteresis', 'controlShare', 'horizonDays', 'minPositives'] as const;
type NumberField = (typeof numberFields)[number];
const stages = ['marketingqualifiedlead', 'salesqualifiedlead', 'opportunity', 'customer'];

const numberText = fc.oneof(
  fc.double({ min: -0.1, max: 1.1, noNaN: true }).map(String),
  fc.integer({ min: -10, max: 20_000 }).map(String),
  fc.constantFrom('0', '1', '0.5', '0.2', '7', '365', '10', '1e-1', ' 0.3 ', '', ' ', 'NaN', 'Infinity', '-Infinity', '1e400', '0x10', '1,5', '٣', '0.1.2', '--1', '+0.4'),
  fc.string({ maxLength: 12 }),
);
const outcomeText = fc.oneof(fc.constantFrom(...stages, 'closed-won-deal', 'leaves-customer', 'no-new-won-deal', 'lifecycle', '', '$where', '__proto__', 'customer '), fc.string({ maxLength: 20 }));
const fieldValue = (valid: fc.Arbitrary<string>, junk: fc.Arbitrary<string>) => fc.oneof(
  { arbitrary: valid, weight: 12 },
  { arbitrary: junk, weight: 1 },
  { arbitrary: fc.array(fc.oneof(valid, junk), { minLength: 2, maxLength: 3 }), weight: 1 },
);
const decimal = (min: number, max: number) => fc.double({ min, max, noNaN: true }).map(String);
const validNumber: Record<NumberField, fc.Arbitrary<string>> = {
  salesFastTrack: decimal(0, 1),
  marketingNurture: decimal(0, 0.6),
  retentionPlaybook: decimal(0, 1),
  hysteresis: decimal(0, 0.2),
  controlShare: decimal(0, 0.5),
  horizonDays: fc.integer({ min: 7, max: 365 }).map(String),
  minPositives: fc.integer({ min: 10, max: 10_000 }).map(String),
};
const validOutcome = fc.constantFrom(...stages, 'closed-won-deal');

/** A form: some known fields with random values, some unknown or hostile ones, in random order. */
const form = fc.record(
  {
    ...Object.fromEntries(numberFields.map((name) => [name, fieldValue(validNumber[name], numberText)])) as Record<NumberField, fc.Arbitrary<string | string[]>>,
    leadOutcome: fieldValue(validOutcome, outcomeText),
    churnOutcome: fieldValue(fc.constantFrom('leaves-customer', 'no-new-won-deal'), outcomeText),
    extra: fc.array(fc.tuple(fc.oneof(fc.constantFrom('__proto__', 'constructor', '$set', 'labels.horizonDays', 'decisions[salesFastTrack]', 'portalId', 'csrf'), fc.string({ maxLength: 10 })), fc.string({ maxLength: 20 })), { maxLength: 3 }),
  },
  { requiredKeys: [] },
);
type Form = typeof form extends fc.Arbitrary<infer T> ? T : never;

function encode(f: Form, csrfValue: string): string {
  const pairs: [string, string][] = [['csrf', csrfValue]];
  for (const [name, value] of Object.entries(f)) {
    if (name === 'extra') continue;
    for (const v of Array.isArray(value) ? value : [value]) pairs.push([name, v as string]);
  }
  for (const [name, value] of f.extra ?? []) if (name !== 'csrf') pairs.push([name, value]);
  return pairs.map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`).join('&');
}

/** The settings the form asks for, by the rules the page states, or undefined when they break one. */
function expectedSettings(before: PortalSettings, f: Form): PortalSettings | undefined {
  const single = (value: unknown) => (typeof value === 'string' ? value : undefined);
  const numberOf = (name: NumberField, current: number) => {
    const text = single(f[name]);
    return text === undefined || text.trim() === '' ? current : Number(text);
  };
  const d = {
    ...before.decisions, // the settings the form does not show (uplift targeting) stay as they are
    salesFastTrack: numberOf('salesFastTrack', before.decisions.salesFastTrack),
    marketingNurture: numberOf('marketingNurture', before.decisions.marketingNurture),
    retentionPlaybook: numberOf('retentionPlaybook', before.decisions.retentionPlaybook),
    hysteresis: numberOf('hysteresis', before.decisions.hysteresis),
    controlShare: numberOf('controlShare', before.decisions.controlShare),
  };
  const horizonDays = numberOf('horizonDays', before.labels.horizonDays);
  const minPositives = numberOf('minPositives', before.labels.minPositives);
  const lead = single(f.leadOutcome);
  const churn = single(f.churnOutcome);
  const within = (x: number, lo: number, hi: number) => Number.isFinite(x) && x >= lo && x <= hi;
  const valid = within(d.salesFastTrack, 0, 1) && within(d.marketingNurture, 0, 1) && within(d.retentionPlaybook, 0, 1)
    && within(d.hysteresis, 0, 0.2) && within(d.controlShare, 0, 0.5) && d.marketingNurture < d.salesFastTrack
    && Number.isInteger(horizonDays) && within(horizonDays, 7, 365) && Number.isInteger(minPositives) && within(minPositives, 10, 10_000)
    && (lead === undefined || lead === 'closed-won-deal' || stages.includes(lead))
    && (churn === undefined || churn === 'leaves-customer' || churn === 'no-new-won-deal');
  if (!valid) return undefined;
  return {
    decisions: d,
    labels: {
      horizonDays,
      minPositives,
      lead: lead === undefined ? before.labels.lead : lead === 'closed-won-deal' ? { kind: 'closed-won-deal' } : { kind: 'lifecycle', stage: lead as 'customer' },
      churn: churn === undefined ? before.labels.churn : { kind: churn as 'leaves-customer' },
    },
  };
}

const storedDocument = () => portalSettingsModel(connection).findOne({ portalId: PORTAL }, { _id: 0, updatedAt: 0 }).lean();

test('random field values: saved within the rules (303) or refused whole with reasons (400), never 500', async () => {
  const outcomes = { saved: 0, refused: 0 };
  // What is stored, tracked here so each case costs one post and one read.
  let current = await loadPortalSettings(connection, PORTAL);
  let currentDocument = await storedDocument();
  await fc.assert(
    fc.asyncProperty(form, async (f) => {
      const res = await supertest(server).post(`/portals/${PORTAL}/settings`).set('cookie', accessCookie).type('form').send(encode(f, csrf));
      const expected = expectedSettings(current, f);
      if (expected) {
        assert.equal(res.status, 303, `a valid form is saved: ${res.text.slice(0, 300)}`);
        outcomes.saved++;
        currentDocument = await storedDocument();
        assert.deepEqual({ labels: currentDocument?.labels, decisions: currentDocument?.decisions }, expected);
        assert.deepEqual(operatorKeys(currentDocument), []);
        current = expected;
      } else {
        assert.equal(res.status, 400, `an invalid form is refused: ${res.status} ${res.text.slice(0, 300)}`);
        outcomes.refused++;
        assert.match(res.text, /Not saved:<\/strong><ul><li>[^<]+<\/li>/, 'the page says why');
        assert.deepEqual(await storedDocument(), currentDocument, 'nothing saved');
      }
    }),
    { numRuns: 600 },
  );
  console.log(JSON.stringify(outcomes));
  assert.ok(outcomes.saved > 50 && outcomes.refused > 50, JSON.stringify(outcomes));
});

test('without a valid CSRF token or access, or as another body: a clear 4xx, nothing saved', async () => {
  // The real token with its last character changed (to something it is not: a token can end in 'A').
  const wrongToken = `${csrf.slice(0, -1)}${csrf.endsWith('A') ? 'B' : 'A'}`;
  await fc.assert(
    fc.asyncProperty(
      form,
      fc.constantFrom('no-token', 'wrong-token', 'no-access', 'json', 'bytes', 'huge'),
      fc.uint8Array({ maxLength: 300 }),
      async (f, variant, bytes) => {
        const storedBefore = await storedDocument();
        let request = supertest(server).post(`/portals/${PORTAL}/settings`).set('accept', 'application/json');
        if (variant !== 'no-access') request = request.set('cookie', accessCookie);
        const body = variant === 'no-token' ? encode(f, '').replace(/^csrf=&?/, '')
          : variant === 'wrong-token' ? encode(f, wrongToken)
          : variant === 'huge' ? `${encode(f, csrf)}&pad=${'x'.repeat(17 * 1024)}`
          : encode(f, csrf);
        const res = variant === 'json' ? await request.set('content-type', 'application/json').send(JSON.stringify({ ...f, csrf }))
          : variant === 'bytes' ? await request.set('content-type', 'application/x-www-form-urlencoded').send(Buffer.from(bytes))
          : await request.type('form').send(body);
        const allowed = variant === 'no-access' ? [403] : variant === 'huge' ? [413] : [403];
        assert.ok(allowed.includes(res.status), `${variant}: ${res.status} ${res.text.slice(0, 200)}`);
        assert.ok(typeof res.body?.message === 'string' && res.body.message.length > 0, `${variant}: the answer says why`);
        assert.deepEqual(await storedDocument(), storedBefore, 'nothing saved');
      },
    ),
    { numRuns: 700 },
  );
});
