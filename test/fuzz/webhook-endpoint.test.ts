/**
 * POST /webhooks/hubspot under hostile and broken input: random bytes and headers, nonsense signed
 * with the app's secret (so it reaches the parser), events with hostile fields, bodies around the
 * size limit. Every request ends in 200 (a well-formed batch only), 400, 401, 413 or 415 (a content
 * encoding body-parser does not know) with a message; never a 500 or an unhandled rejection, and
 * nothing stored holds a key MongoDB would read as an operator or a path.
 */
import assert from 'node:assert/strict';
import { Agent, createServer, request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, test } from 'node:test';
import fc from 'fast-check';
import { portalModel } from '../../src/db/models/portal.ts';
import { unknownPortalModel, webhookEventModel } from '../../src/db/models/webhook-event.ts';
import { computeSignatureV3 } from '../../src/webhooks/verify-signature.ts';
import { WEBHOOK_PATH } from '../../src/webhooks/webhook-routes.ts';
import { testHubSpotApp, testWebApp } from '../helpers/app.ts';
import { operatorKeys } from '../helpers/operator-keys.ts';

// A failing case is reported as found: shrinking over HTTP would take minutes.
fc.configureGlobal({ endOnFailure: true, includeErrorInReport: true });

const app = testHubSpotApp();
const { web, connection } = await testWebApp('fuzz_webhooks', app);
const server = createServer(web);
await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
const { port } = server.address() as AddressInfo;
const agent = new Agent({ keepAlive: true, maxSockets: 1 });
after(() => new Promise<void>((resolve) => {
  agent.destroy();
  server.close(() => resolve());
}));

const INSTALLED = [777, 778];
for (const portalId of INSTALLED) await portalModel(connection).create({ portalId, status: 'installed', firstInstalledAt: new Date(), installedAt: new Date() });

const unhandled: unknown[] = [];
process.on('unhandledRejection', (reason) => unhandled.push(reason));

const uri = `${app.publicUrl}${WEBHOOK_PATH}`;
const LIMIT_BYTES = 512 * 1024;

interface Delivery {
  body: Buffer;
  signing: 'valid' | 'none' | 'wrong-secret' | 'stale' | 'garbage-signature' | 'garbage-timestamp' | 'other-body';
  contentType: string | undefined;
  contentEncoding: string | undefined;
  extraHeaders: [string, string][];
}

interface Answer {
  status: number;
  body: { message?: string; stored?: number; duplicates?: number } | undefined;
}

/** A POST with exactly these bytes and headers (supertest would re-serialise a Buffer sent as JSON). */
function post(body: Buffer, headers: Record<string, string>): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const request = httpRequest({ host: '127.0.0.1', port, path: WEBHOOK_PATH, method: 'POST', agent, headers: { ...headers, 'content-length': String(body.length) } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        let parsed: Answer['body'];
        try {
          parsed = JSON.parse(text);
        } catch {
          parsed = undefined;
        }
        resolve({ status: res.statusCode ?? 0, body: parsed });
      });
    });
    // The server may answer (413) and close before the whole body is sent.
    request.on('error', (error: NodeJS.ErrnoException) => (error.code === 'ECONNRESET' || error.code === 'EPIPE' ? resolve({ status: -1, body: undefined }) : reject(error)));
    request.end(body);
  });
}

async function deliver(d: Delivery): Promise<Answer> {
  const now = Date.now();
  const timestamp = d.signing === 'stale' ? String(now - 6 * 60_000) : d.signing === 'garbage-timestamp' ? 'x1e3' : String(now);
  const signed = d.signing === 'other-body' ? Buffer.concat([d.body, Buffer.from(' ')]) : d.body;
  const secret = d.signing === 'wrong-secret' ? 'not-the-secret' : app.clientSecret;
  const headers: Record<string, string> = Object.fromEntries(d.extraHeaders);
  if (d.contentType !== undefined) headers['content-type'] = d.contentType;
  if (d.contentEncoding !== undefined) headers['content-encoding'] = d.contentEncoding;
  if (d.signing !== 'none') {
    headers['x-hubspot-request-timestamp'] = timestamp;
    headers['x-hubspot-signature-v3'] = d.signing === 'garbage-signature' ? 'AAAA' : computeSignatureV3(secret, 'POST', uri, signed, timestamp);
  }
  return post(d.body, headers);
}

/** What HubSpot itself would send: an array of 1-1000 events, each with ids, a time and a type. */
function looksLikeABatch(body: Buffer): boolean {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body.toString('utf8'));
  } catch {
    return false;
  }
  const isId = (v: unknown) => (typeof v === 'number' && Number.isInteger(v) && v >= 0) || (typeof v === 'string' && /^\d{1,20}$/.test(v));
  return Array.isArray(parsed) && parsed.length >= 1 && parsed.length <= 1000 && parsed.every((e) =>
    e !== null && typeof e === 'object' && isId(e.eventId) && isId(e.portalId) && Number.isInteger(e.occurredAt) && e.occurredAt >= 0 && e.occurredAt <= 8.64e15
    && typeof e.subscriptionType === 'string' && /^(contact|company|deal|object)\.[A-Za-z]+$/.test(e.subscriptionType));
}

function assertClearAnswer(res: Answer, allowed: number[]): void {
  assert.ok(allowed.includes(res.status), `status ${res.status} (allowed ${allowed.join(', ')}): ${JSON.stringify(res.body)}`);
  if (res.status !== 200) assert.ok(typeof res.body?.message === 'string' && res.body.message.length > 0, `a ${res.status} says why`);
}

// --- hostile values ---------------------------------------------------------------------------
const hostileKey = fc.oneof(
  fc.constantFrom('$set', '$where', '$gt', 'a.b', '__proto__', 'constructor', 'prototype', '$', '.', ''),
  fc.string({ maxLength: 12 }).map((s) => `$${s}`),
  fc.string({ maxLength: 12 }),
);
const shortOddText = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 60 }),
  fc.constantFrom('\u0000', '\ud800', '\udfff', 'a\ud83d', '\u202e\u200f', 'ﷺ', '🧨', '$where', 'a.b', '{"$gt":""}', '__proto__'),
);
/** Long text, cut where a limit falls in the middle of a surrogate pair or after a lone one. */
const oddText = fc.oneof(
  shortOddText,
  fc.constant('🧨'.repeat(300)),
  fc.integer({ min: 190, max: 1200 }).map((n) => 'é'.repeat(n - 1) + '\ud83d'),
  fc.integer({ min: 480, max: 520 }).map((n) => 'x'.repeat(n) + '😀😀'),
);
/**
 * Nested arrays deep enough to exhaust a recursive JSON.stringify: a marker here, written out as
 * brackets by `toJson` (which the test's own JSON.stringify could not do either).
 */
const deeplyNested = fc.integer({ min: 1, max: 20_000 }).map((depth) => `\u0000deep:${depth}\u0000`);
const toJson = (value: unknown) => (JSON.stringify(value) ?? 'null').replace(/"\\u0000deep:(\d+)\\u0000"/g, (_, depth) => '['.repeat(Number(depth)) + ']'.repeat(Number(depth)));
const hostileValue = fc.oneof(
  { arbitrary: fc.jsonValue({ maxDepth: 3 }), weight: 3 },
  { arbitrary: oddText, weight: 3 },
  { arbitrary: fc.dictionary(hostileKey, fc.jsonValue({ maxDepth: 2 }), { maxKeys: 4 }), weight: 2 },
  { arbitrary: fc.constantFrom(-1, 1.5, 1e300, -0, Number.MAX_SAFE_INTEGER + 2, '00123', '1'.repeat(21), '', null, true), weight: 2 },
  { arbitrary: deeplyNested, weight: 1 },
);
/** Events HubSpot could send, with odd but allowed values (any text, any JSON as the value, extra keys). */
const eventId = fc.oneof({ arbitrary: fc.nat(), weight: 4 }, { arbitrary: fc.nat().map(String), weight: 1 });
const event = fc.record(
  {
    eventId,
    subscriptionId: eventId,
    portalId: fc.oneof({ arbitrary: fc.constantFrom(...INSTALLED), weight: 6 }, { arbitrary: fc.constantFrom(999_001, 0, '778'), weight: 1 }),
    appId: eventId,
    occurredAt: fc.oneof({ arbitrary: fc.oneof(fc.constant(Date.now()), fc.nat(), fc.constant(8.64e15)), weight: 12 }, { arbitrary: fc.constantFrom(8.64e15 + 1, 1e300), weight: 1 }),
    subscriptionType: fc.oneof(
      fc.constantFrom('contact.propertyChange', 'contact.creation', 'company.deletion', 'deal.merge', 'object.associationChange', 'contact.privacyDeletion'),
      fc.stringMatching(/^[A-Za-z]{1,40}$/).map((s) => `object.${s}`),
    ),
    attemptNumber: fc.nat(),
    objectId: eventId,
    objectTypeId: fc.constantFrom('0-1', '0-2', '0-3', '2-123', '$where', 'a.b', '__proto__'),
    propertyName: shortOddText,
    propertyValue: hostileValue,
    changeSource: shortOddText,
    sourceId: fc.oneof(shortOddText, fc.integer()),
    mergedObjectIds: fc.array(eventId, { maxLength: 5 }),
    primaryObjectId: eventId,
    newObjectId: eventId,
    fromObjectId: eventId,
    toObjectId: eventId,
    associationType: shortOddText,
    associationRemoved: fc.boolean(),
  },
  { requiredKeys: ['eventId', 'portalId', 'occurredAt', 'subscriptionType'] },
);
const eventWithExtraKeys = fc.tuple(event, fc.option(fc.dictionary(hostileKey, hostileValue, { maxKeys: 3 }), { freq: 3 }))
  .map(([e, extra]) => Object.assign(Object.create(null) as object, extra ?? {}, e));
/** One field of one event replaced by something HubSpot never sends. */
const corruption = fc.record({ index: fc.nat(), field: fc.constantFrom('eventId', 'portalId', 'occurredAt', 'subscriptionType', 'objectId', 'mergedObjectIds', 'propertyName', 'sourceId', 'associationRemoved', 'attemptNumber'), value: hostileValue });
const hostileBatch = fc.tuple(
  fc.oneof({ arbitrary: fc.array(eventWithExtraKeys, { minLength: 1, maxLength: 8 }), weight: 8 }, { arbitrary: fc.array(hostileValue, { maxLength: 3 }), weight: 1 }),
  fc.oneof({ arbitrary: fc.constant(null), weight: 2 }, { arbitrary: corruption, weight: 1 }),
).map(([events, corrupt]) => {
  if (corrupt && events.length > 0) {
    const target = events[corrupt.index % events.length];
    if (target !== null && typeof target === 'object' && !Array.isArray(target)) (target as Record<string, unknown>)[corrupt.field] = corrupt.value;
  }
  return Buffer.from(toJson(events));
});

const rawBody = fc.oneof(
  { arbitrary: fc.uint8Array({ maxLength: 2048 }).map((bytes) => Buffer.from(bytes)), weight: 1 },
  { arbitrary: fc.string({ unit: 'binary', maxLength: 400 }).map((s) => Buffer.from(s)), weight: 1 },
  { arbitrary: fc.jsonValue({ maxDepth: 4 }).map((v) => Buffer.from(JSON.stringify(v) ?? '')), weight: 1 },
  { arbitrary: fc.constantFrom('', '[]', '{}', 'null', '[null]', '[[]]', '\ufeff[]', '[{"eventId":1}]', '{"eventId":1,"portalId":777}').map((s) => Buffer.from(s)), weight: 1 },
  { arbitrary: hostileBatch, weight: 4 },
);
const headerText = fc.string({ unit: 'grapheme-ascii', maxLength: 40 });
const delivery: fc.Arbitrary<Delivery> = fc.record({
  body: rawBody,
  signing: fc.constantFrom<Delivery['signing']>('valid', 'valid', 'valid', 'none', 'wrong-secret', 'stale', 'garbage-signature', 'garbage-timestamp', 'other-body'),
  contentType: fc.option(fc.oneof(fc.constantFrom('application/json', 'text/plain', 'application/json; charset=utf-16', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', ''), headerText), { nil: undefined }),
  contentEncoding: fc.option(fc.constantFrom('identity', 'gzip', 'deflate', 'br', 'x-unknown', 'gzip, gzip'), { nil: undefined, freq: 2 }),
  extraHeaders: fc.array(fc.tuple(fc.constantFrom('x-request-id', 'x-hubspot-signature', 'x-hubspot-signature-version', 'accept', 'x-forwarded-for', 'cookie'), headerText), { maxLength: 3 }),
});

test('random bodies and headers: 200 only for a well-formed signed batch, otherwise a clear 400/401/413/415', async () => {
  let accepted = 0;
  await fc.assert(
    fc.asyncProperty(delivery, async (d) => {
      const res = await deliver(d);
      const plainEncoding = d.contentEncoding === undefined || d.contentEncoding === 'identity';
      if (d.signing !== 'valid' && plainEncoding && d.body.length <= LIMIT_BYTES) assertClearAnswer(res, [401]);
      else assertClearAnswer(res, [200, 400, 401, 413, 415]);
      if (res.status === 200) {
        accepted++;
        assert.ok(d.signing === 'valid' && looksLikeABatch(d.body), 'only a well-formed, signed batch is accepted');
        const events = JSON.parse(d.body.toString('utf8')) as { portalId: unknown }[];
        const forInstalled = events.filter((e) => INSTALLED.includes(Number(e.portalId))).length;
        assert.equal(res.body!.stored! + res.body!.duplicates!, forInstalled, 'every event of an installed portal is stored or a duplicate');
      }
    }),
    { numRuns: 1000 },
  );
  assert.ok(accepted > 10, `enough well-formed batches were accepted to exercise storage (${accepted})`);
});

test('signed events with hostile fields: 200 or a clear 400, never 500', async () => {
  let stored = 0;
  await fc.assert(
    fc.asyncProperty(hostileBatch, async (body) => {
      const res = await deliver({ body, signing: 'valid', contentType: 'application/json', contentEncoding: undefined, extraHeaders: [] });
      assertClearAnswer(res, [200, 400]);
      if (res.status === 200) stored += res.body!.stored!;
      else assert.ok(!looksLikeABatch(body) || /Not an array of HubSpot events/.test(res.body!.message!), res.body!.message);
    }),
    { numRuns: 1000 },
  );
  assert.ok(stored > 100, `hostile events reached the inbox (${stored})`);
});

test('bodies around the size limit: 413 above it, never 500', async () => {
  await fc.assert(
    fc.asyncProperty(fc.integer({ min: LIMIT_BYTES - 2048, max: LIMIT_BYTES + 200_000 }), fc.constantFrom('valid', 'none') , async (size, signing) => {
      const body = Buffer.alloc(size, 0x20);
      body.write('[{"eventId":1}]');
      const res = await deliver({ body, signing, contentType: 'application/json', contentEncoding: undefined, extraHeaders: [] });
      assertClearAnswer(res, size > LIMIT_BYTES ? [413] : signing === 'valid' ? [400] : [401]);
    }),
    { numRuns: 40 },
  );
});

test('nothing stored holds an operator or a dotted key, and every stored field has its declared type', async () => {
  const inbox = await webhookEventModel(connection).find({}).setOptions({ allPortals: true }).lean();
  assert.ok(inbox.length > 100, `${inbox.length} events stored`);
  for (const event of inbox) {
    assert.deepEqual(operatorKeys(event), [], `event ${event._id}`);
    assert.ok(INSTALLED.includes(event.portalId), `only installed portals' events are stored (${event.portalId})`);
    assert.equal(typeof event._id, 'string');
    assert.ok(event.occurredAt instanceof Date);
    for (const field of ['propertyName', 'propertyValue', 'changeSource', 'sourceId'] as const) {
      assert.ok(event[field] === undefined || typeof event[field] === 'string', `${field} of ${event._id} is ${typeof event[field]}`);
    }
    if (event.details !== undefined) {
      for (const value of Object.values(event.details as Record<string, unknown>)) {
        const scalars = Array.isArray(value) ? value : [value];
        assert.ok(scalars.every((v) => ['number', 'boolean', 'string'].includes(typeof v)), `details of ${event._id}: ${JSON.stringify(event.details)}`);
      }
    }
  }
  for (const unknown of await unknownPortalModel(connection).find({}).lean()) assert.deepEqual(operatorKeys(unknown), []);
  assert.deepEqual(unhandled, [], 'no unhandled rejection');
});
