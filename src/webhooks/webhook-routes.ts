/**
 * `POST /webhooks/hubspot`: verify, store, answer. HubSpot waits at most 5 s and retries anything
 * else, so the request does no other work: the inbox workers act on the events later. A batch is
 * answered 200 only once stored; while MongoDB is away it gets 503, and HubSpot sends it again.
 */
import express, { Router } from 'express';
import type { Connection } from 'mongoose';
import { isMongoReady } from '../db/connect-mongo.ts';
import type { HubSpotApp } from '../hubspot/hubspot-app.ts';
import type { Metrics } from '../metrics.ts';
import { storeEvents } from './store-events.ts';
import { verifySignatureV3 } from './verify-signature.ts';
import { webhookBatchSchema } from './webhook-event.ts';

export const WEBHOOK_PATH = '/webhooks/hubspot';
/** 100 events are about 40 kB; anything near this is not HubSpot. */
export const WEBHOOK_BODY_LIMIT = '512kb';
/**
 * How long storing a batch may take before it is answered 503. HubSpot gives up after 5 s and
 * retries; a frozen or unreachable MongoDB must not hold the request (and a connection) for that
 * long. A store that completes after the 503 is harmless: HubSpot's retry finds the events by id and
 * stores nothing twice.
 */
export const WEBHOOK_STORE_DEADLINE_MS = 800;

export function webhookRoutes(deps: { connection: Connection; app: HubSpotApp; metrics?: Metrics }): Router {
  const router = Router();
  router.post(WEBHOOK_PATH, express.raw({ type: () => true, limit: WEBHOOK_BODY_LIMIT }), async (req, res) => {
    const timer = deps.metrics?.webhookLatency.startTimer();
    const rawBody = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
    const verdict = verifySignatureV3(deps.app.clientSecret, {
      method: 'POST',
      uri: `${deps.app.publicUrl}${req.originalUrl}`,
      rawBody,
      timestamp: req.get('x-hubspot-request-timestamp'),
      signature: req.get('x-hubspot-signature-v3'),
    });
    if (!verdict.valid) {
      req.log.warn({ reason: verdict.reason }, 'webhook rejected: signature');
      res.status(401).json({ status: 'error', message: `Invalid signature (${verdict.reason})` });
      return;
    }
    let body: unknown;
    try {
      body = JSON.parse(rawBody.toString('utf8'));
    } catch {
      res.status(400).json({ status: 'error', message: 'Body is not JSON' });
      return;
    }
    const batch = webhookBatchSchema.safeParse(body);
    if (!batch.success) {
      const issue = batch.error.issues[0];
      res.status(400).json({ status: 'error', message: `Not an array of HubSpot events: ${issue.path.join('.') || 'body'}: ${issue.message}` });
      return;
    }
    let result;
    try {
      result = await withinDeadline(storeEvents(deps.connection, batch.data), WEBHOOK_STORE_DEADLINE_MS);
    } catch (error) {
      if (!(error instanceof StoreDeadlineError) && (await isMongoReady(deps.connection, 150))) throw error;
      // Not stored, so not acknowledged: HubSpot retries a 5xx later, by then MongoDB is back.
      req.log.warn({ err: error }, 'webhook batch not stored: MongoDB unavailable');
      res.status(503).set('retry-after', '10').json({ status: 'error', message: 'Temporarily unavailable: the events were not stored; retry later' });
      return;
    }
    timer?.();
    deps.metrics?.webhookEvents.inc({ outcome: 'stored' }, result.stored);
    deps.metrics?.webhookEvents.inc({ outcome: 'duplicate' }, result.duplicates);
    deps.metrics?.webhookEvents.inc({ outcome: 'unknown_portal' }, batch.data.length - result.stored - result.duplicates);
    if (result.unknownPortals.length > 0) {
      req.log.warn({ portalIds: result.unknownPortals }, 'webhook events for portals that are not installed: acknowledged and counted');
    }
    req.log.debug({ stored: result.stored, duplicates: result.duplicates }, 'webhook batch stored');
    res.status(200).json({ status: 'ok', stored: result.stored, duplicates: result.duplicates });
  });
  return router;
}

class StoreDeadlineError extends Error {
  override name = 'StoreDeadlineError';
}

function withinDeadline<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new StoreDeadlineError(`MongoDB did not store the batch within ${ms} ms`)), ms);
  });
  work.catch(() => {}); // a store that fails after the deadline has been answered already
  return Promise.race([work, deadline]).finally(() => clearTimeout(timer));
}
