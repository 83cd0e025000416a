/**
 * Operations metrics in Prometheus format (prom-client), one registry per process: webhook intake,
 * inbox depth, jobs, HubSpot calls and 429s per portal, model AUC per portal.
 */
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';

export interface Metrics {
  registry: Registry;
  webhookEvents: Counter<'outcome'>;
  webhookLatency: Histogram<never>;
  inboxDepth: Gauge<'status'>;
  jobDuration: Histogram<'type' | 'outcome'>;
  hubspotCalls: Counter<'portal' | 'outcome'>;
  modelAuc: Gauge<'portal' | 'target'>;
}

export function createMetrics(): Metrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'propensity_' });
  return {
    registry,
    webhookEvents: new Counter({ name: 'propensity_webhook_events_total', help: 'Webhook events received, by outcome (stored, duplicate, unknown_portal)', labelNames: ['outcome'], registers: [registry] }),
    webhookLatency: new Histogram({ name: 'propensity_webhook_intake_seconds', help: 'Time to verify and store a webhook batch', buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5], registers: [registry] }),
    inboxDepth: new Gauge({ name: 'propensity_webhook_inbox_events', help: 'Webhook events in the inbox, by status', labelNames: ['status'], registers: [registry] }),
    jobDuration: new Histogram({ name: 'propensity_job_seconds', help: 'Job run time, by type and outcome', labelNames: ['type', 'outcome'], buckets: [0.05, 0.25, 1, 5, 15, 60, 300, 1800], registers: [registry] }),
    hubspotCalls: new Counter({ name: 'propensity_hubspot_requests_total', help: 'Requests to HubSpot by portal and outcome (ok, rate_limited, error)', labelNames: ['portal', 'outcome'], registers: [registry] }),
    modelAuc: new Gauge({ name: 'propensity_model_validation_auc', help: 'Validation AUC of the active model, by portal and target', labelNames: ['portal', 'target'], registers: [registry] }),
  };
}
