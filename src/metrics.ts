/**
 * Operations metrics in Prometheus format (prom-client), one registry per process: webhook intake,
 * inbox depth, jobs, HubSpot calls and 429s per portal, model AUC per portal.
 *
 * A scrape costs no database query: the figures read from MongoDB (inbox depth, model AUCs) are
 * read at most once per `DATABASE_READING_MAX_AGE_MS`, in the background of a scrape, and a scrape
 * reports the latest reading (only the first scrape of a process waits for one).
 */
import type { Connection } from 'mongoose';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import { trainedModelModel } from './db/models/trained-model.ts';
import { webhookEventModel } from './db/models/webhook-event.ts';
import type { HubSpotCallStats } from './hubspot/get-hubspot-client.ts';

export interface Metrics {
  registry: Registry;
  webhookEvents: Counter<'outcome'>;
  webhookLatency: Histogram<never>;
  inboxDepth: Gauge<'status'>;
  jobDuration: Histogram<'type' | 'outcome'>;
  hubspotCalls: Counter<'portal' | 'outcome'>;
  modelAuc: Gauge<'portal' | 'target'>;
}

/** Where the scrape-time figures come from: the inbox and the model registry (cluster-wide), and this process's HubSpot calls. */
export interface MetricSources {
  connection: Connection;
  hubspotStats: () => Map<number, HubSpotCallStats>;
}

export const DATABASE_READING_MAX_AGE_MS = 30_000;

/** `read()`'s latest result; a stale one starts a new read (one at a time) without waiting for it. */
function cachedReading<T>(read: () => Promise<T>, maxAgeMs: number): () => Promise<T | undefined> {
  let latest: { value: T; at: number } | undefined;
  let pending: Promise<void> | undefined;
  const refresh = () => {
    pending ??= read()
      .then((value) => { latest = { value, at: Date.now() }; }, () => { if (latest) latest.at = Date.now(); })
      .finally(() => { pending = undefined; });
    return pending;
  };
  return async () => {
    if (!latest) await refresh();
    else if (Date.now() - latest.at >= maxAgeMs) void refresh();
    return latest?.value;
  };
}

export function createMetrics(sources?: MetricSources, options: { readingMaxAgeMs?: number } = {}): Metrics {
  const registry = new Registry();
  const maxAgeMs = options.readingMaxAgeMs ?? DATABASE_READING_MAX_AGE_MS;
  const inbox = sources && cachedReading(async () => {
    const depth: [string, number][] = [];
    for (const status of ['pending', 'processing', 'dead'] as const) {
      depth.push([status, await webhookEventModel(sources.connection).countDocuments({ status }).setOptions({ allPortals: true })]);
    }
    return depth;
  }, maxAgeMs);
  const models = sources && cachedReading(
    () => trainedModelModel(sources.connection).find({ status: 'current' }, { portalId: 1, objectType: 1, target: 1, holdout: 1 }).setOptions({ allPortals: true }).lean(),
    maxAgeMs,
  );
  collectDefaultMetrics({ register: registry, prefix: 'propensity_' });
  return {
    registry,
    webhookEvents: new Counter({ name: 'propensity_webhook_events_total', help: 'Webhook events received, by outcome (stored, duplicate, unknown_portal)', labelNames: ['outcome'], registers: [registry] }),
    webhookLatency: new Histogram({ name: 'propensity_webhook_intake_seconds', help: 'Time to verify and store a webhook batch', buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5], registers: [registry] }),
    inboxDepth: new Gauge({
      name: 'propensity_webhook_inbox_events', help: 'Webhook events in the inbox, by status', labelNames: ['status'], registers: [registry],
      async collect() {
        if (!inbox) return;
        this.reset();
        for (const [status, count] of (await inbox()) ?? []) this.set({ status }, count);
      },
    }),
    jobDuration: new Histogram({ name: 'propensity_job_seconds', help: 'Job run time, by type and outcome', labelNames: ['type', 'outcome'], buckets: [0.05, 0.25, 1, 5, 15, 60, 300, 1800], registers: [registry] }),
    hubspotCalls: new Counter({
      name: 'propensity_hubspot_requests_total', help: 'Requests to HubSpot from this process, by portal and outcome (requests, rate_limited, retried, failed)', labelNames: ['portal', 'outcome'], registers: [registry],
      collect() {
        if (!sources) return;
        this.reset();
        for (const [portal, stats] of sources.hubspotStats()) {
          for (const [outcome, value] of [['requests', stats.requests], ['rate_limited', stats.rateLimited], ['retried', stats.retried], ['failed', stats.failed]] as const) {
            if (value > 0) this.inc({ portal: String(portal), outcome }, value);
          }
        }
      },
    }),
    modelAuc: new Gauge({
      name: 'propensity_model_validation_auc', help: 'Holdout AUC of the current model, by portal, object type and target', labelNames: ['portal', 'object', 'target'], registers: [registry],
      async collect() {
        if (!models) return;
        this.reset();
        for (const model of (await models()) ?? []) {
          if (typeof model.holdout?.auc === 'number') this.set({ portal: String(model.portalId), object: model.objectType, target: model.target }, model.holdout.auc);
        }
      },
    }),
  };
}
