/**
 * Webhooks out, as HubSpot sends them: for each change an installed app subscribed to, an event with
 * HubSpot's field set; POSTed in batches of at most 100 (one portal per batch), signed with
 * signature v3, at most `maxConcurrentRequests` requests in flight per app, and retried with a
 * growing `attemptNumber` when the app answers non-2xx, fails, or takes longer than 5 s.
 */
import type { WebhooksDefinition } from '../../install/app-definition.ts';
import { signV3 } from '../../hubspot/signature-v3.ts';
import type { SandboxApp, SandboxState } from '../sandbox-state.ts';
import type { Change } from '../sandbox-store.ts';
import { compileSubscriptions, eventFields, matchingSubscriptions, type MatchedSubscription } from './subscriptions.ts';

export interface WebhookEvent {
  eventId: number;
  subscriptionId: number;
  portalId: number;
  appId: number;
  occurredAt: number;
  subscriptionType: string;
  attemptNumber: number;
  objectId: number;
  changeSource: string;
  sourceId?: string;
  propertyName?: string;
  propertyValue?: string;
  [field: string]: unknown;
}

export interface WebhookDeliveryOptions {
  /** Wait before each retry; its length is the number of retries. HubSpot: 10 over about a day. */
  retryDelaysMs?: number[];
  /** How long an answer may take before the attempt counts as failed. HubSpot: 5 s. */
  timeoutMs?: number;
  /** How long events gather before a batch goes out. */
  flushMs?: number;
  /** Events per request. HubSpot: up to 100. */
  maxBatchSize?: number;
}

export interface WebhookStats {
  /** Requests made (first attempts and retries). */
  sent: number;
  delivered: number;
  failedAttempts: number;
  gaveUp: number;
  events: number;
}

const HOUR = 3_600_000;
/** About HubSpot's schedule: 10 retries spread over a day. */
export const HUBSPOT_RETRY_DELAYS_MS = [60_000, 5 * 60_000, 15 * 60_000, HOUR, 2 * HOUR, 3 * HOUR, 4 * HOUR, 4 * HOUR, 4 * HOUR, 5 * HOUR];

export class WebhookSender {
  readonly stats: WebhookStats = { sent: 0, delivered: 0, failedAttempts: 0, gaveUp: 0, events: 0 };
  private readonly queues = new Map<number, WebhookEvent[]>();
  /** Batches whose retry is due, per app: sent before new batches, within the same concurrency. */
  private readonly dueRetries = new Map<number, { batch: WebhookEvent[]; attempt: number }[]>();
  private readonly inFlight = new Map<number, number>();
  private readonly compiled = new WeakMap<WebhooksDefinition, ReturnType<typeof compileSubscriptions>>();
  private readonly retryDelaysMs: number[];
  private readonly timeoutMs: number;
  private readonly flushMs: number;
  private readonly maxBatchSize: number;
  private nextEventId = Date.now() * 100;
  private timer: NodeJS.Timeout | undefined;
  private readonly retryTimers = new Set<NodeJS.Timeout>();
  private pending = 0;
  private closed = false;

  constructor(
    private readonly state: SandboxState,
    private readonly definition: WebhooksDefinition,
    options: WebhookDeliveryOptions = {},
  ) {
    this.retryDelaysMs = options.retryDelaysMs ?? HUBSPOT_RETRY_DELAYS_MS;
    this.timeoutMs = options.timeoutMs ?? 5_000;
    this.flushMs = options.flushMs ?? 100;
    this.maxBatchSize = Math.min(100, options.maxBatchSize ?? 100);
    state.onChange((change) => this.enqueue(change));
  }

  /** Events not yet delivered or given up on. */
  get backlog(): number {
    return this.pending;
  }

  /** Resolves once every event so far was delivered or given up on. */
  async idle(timeoutMs = 30_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (this.pending > 0) {
      if (Date.now() > deadline) throw new Error(`webhooks still pending after ${timeoutMs} ms: ${this.pending}`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }

  close(): void {
    this.closed = true;
    if (this.timer) clearTimeout(this.timer);
    for (const timer of this.retryTimers) clearTimeout(timer);
    this.retryTimers.clear();
  }

  private subscriptionsOf(app: SandboxApp): (change: Change) => MatchedSubscription[] {
    const definition = app.webhooks ?? this.definition;
    let lookup = this.compiled.get(definition);
    if (!lookup) this.compiled.set(definition, (lookup = compileSubscriptions(definition)));
    return (change) => matchingSubscriptions(lookup, change);
  }

  private enqueue(change: Change): void {
    if (this.closed) return;
    for (const app of this.state.apps.values()) {
      if (!app.webhookTargetUrl || !this.state.isInstalled(change.portalId, app.appId)) continue;
      for (const subscription of this.subscriptionsOf(app)(change)) {
        const event: WebhookEvent = {
          eventId: this.nextEventId++,
          subscriptionId: subscription.subscriptionId,
          portalId: change.portalId,
          appId: app.appId,
          occurredAt: change.at,
          subscriptionType: subscription.subscriptionType,
          attemptNumber: 0,
          ...(subscription.objectTypeId ? { objectTypeId: subscription.objectTypeId } : {}),
          ...(eventFields(change) as { objectId: number; changeSource: string }),
        };
        let queue = this.queues.get(app.appId);
        if (!queue) this.queues.set(app.appId, (queue = []));
        queue.push(event);
        this.pending += 1;
        this.stats.events += 1;
      }
    }
    if (this.pending > 0) this.schedule(this.flushMs);
  }

  private schedule(ms: number): void {
    if (this.closed || this.timer) return;
    this.timer = setTimeout(() => this.flush(), ms);
    this.timer.unref();
  }

  private flush(): void {
    this.timer = undefined;
    for (const appId of new Set([...this.queues.keys(), ...this.dueRetries.keys()])) {
      const queue = this.queues.get(appId) ?? [];
      const retries = this.dueRetries.get(appId) ?? [];
      const app = this.state.appById(appId);
      if (!app?.webhookTargetUrl) {
        this.pending -= queue.length + retries.reduce((n, r) => n + r.batch.length, 0);
        queue.length = 0;
        retries.length = 0;
        continue;
      }
      const limit = (app.webhooks ?? this.definition).settings.maxConcurrentRequests;
      while (retries.length > 0 && (this.inFlight.get(appId) ?? 0) < limit) {
        const { batch, attempt } = retries.shift()!;
        void this.deliver(app, batch, attempt);
      }
      while (queue.length > 0 && (this.inFlight.get(appId) ?? 0) < limit) {
        const portalId = queue[0].portalId;
        const batch: WebhookEvent[] = [];
        const rest: WebhookEvent[] = [];
        for (const event of queue) (event.portalId === portalId && batch.length < this.maxBatchSize ? batch : rest).push(event);
        queue.splice(0, queue.length, ...rest);
        void this.deliver(app, batch, 0);
      }
    }
  }

  private async deliver(app: SandboxApp, batch: WebhookEvent[], attempt: number): Promise<void> {
    this.inFlight.set(app.appId, (this.inFlight.get(app.appId) ?? 0) + 1);
    const uri = app.webhookTargetUrl!;
    const body = JSON.stringify(batch.map((event) => ({ ...event, attemptNumber: attempt })));
    const timestamp = String(Date.now());
    let ok = false;
    try {
      this.stats.sent += 1;
      const response = await fetch(uri, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'user-agent': 'HubSpot Connect 2.0 (http://dev.hubspot.com/) - sandbox',
          'x-hubspot-request-timestamp': timestamp,
          'x-hubspot-signature-v3': signV3({ secret: app.clientSecret, method: 'POST', uri, body, timestamp }),
          'x-hubspot-signature-version': 'v3',
        },
        body,
        signal: AbortSignal.timeout(this.timeoutMs),
      });
      await response.arrayBuffer();
      ok = response.status >= 200 && response.status < 300;
    } catch {
      ok = false;
    } finally {
      this.inFlight.set(app.appId, (this.inFlight.get(app.appId) ?? 1) - 1);
    }
    if (ok) {
      this.stats.delivered += 1;
      this.pending -= batch.length;
    } else {
      this.stats.failedAttempts += 1;
      const stillInstalled = this.state.isInstalled(batch[0].portalId, app.appId);
      if (attempt < this.retryDelaysMs.length && stillInstalled && !this.closed) {
        const timer = setTimeout(() => {
          this.retryTimers.delete(timer);
          let due = this.dueRetries.get(app.appId);
          if (!due) this.dueRetries.set(app.appId, (due = []));
          due.push({ batch, attempt: attempt + 1 });
          this.schedule(0);
        }, this.retryDelaysMs[attempt]);
        timer.unref();
        this.retryTimers.add(timer);
      } else {
        this.stats.gaveUp += 1;
        this.pending -= batch.length;
      }
    }
    if ((this.queues.get(app.appId)?.length ?? 0) > 0 || (this.dueRetries.get(app.appId)?.length ?? 0) > 0) this.schedule(0);
  }
}
