/**
 * Starts the local HubSpot sandbox: an HTTP server answering HubSpot's OAuth, CRM, properties and
 * associations APIs for several portals at once and sending their webhooks, with the admin API in
 * process and under `/_sandbox`. Used by tests, by `npm start` without HubSpot credentials, and by
 * `propensity sandbox`.
 *
 * @example
 * const sandbox = await startSandbox({ autoApprove: true, apps: [app] });
 * const portal = sandbox.createPortal({ contacts: 1000, seed: 7 });
 * const client = new Client({ accessToken, basePath: sandbox.url });
 * await sandbox.close();
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { loadWebhooksDefinition, type WebhooksDefinition } from '../install/app-definition.ts';
import { createSandboxAdmin, type AppRegistration, type PortalOptions, type SandboxAdmin } from './admin/sandbox-admin.ts';
import { createSandboxApp } from './create-sandbox-app.ts';
import { SandboxState, type SandboxOptions } from './sandbox-state.ts';
import { WebhookSender, type WebhookDeliveryOptions } from './webhooks/deliver.ts';

export interface StartSandboxOptions extends SandboxOptions {
  /** 0 (default): a free port. */
  port?: number;
  host?: string;
  /** Apps registered at start. */
  apps?: AppRegistration[];
  /** Portals created (and generated) at start. */
  portals?: PortalOptions[];
  /** Webhook delivery: retry schedule, timeout, batching (fast ones for tests). */
  webhooks?: WebhookDeliveryOptions;
  /** Subscriptions of apps registered without their own; default webhooks/webhooks.json. */
  webhooksDefinition?: WebhooksDefinition;
}

export interface Sandbox extends SandboxAdmin {
  /** e.g. http://127.0.0.1:4010 — the `basePath` for @hubspot/api-client. */
  url: string;
  state: SandboxState;
  webhooks: WebhookSender;
  close(): Promise<void>;
}

export async function startSandbox(options: StartSandboxOptions = {}): Promise<Sandbox> {
  const state = new SandboxState(options);
  const webhooks = new WebhookSender(state, options.webhooksDefinition ?? loadWebhooksDefinition(), options.webhooks);
  const admin = createSandboxAdmin(state, webhooks, { seed: options.seed });
  for (const app of options.apps ?? []) admin.registerApp(app);
  for (const portal of options.portals ?? []) admin.createPortal(portal);

  // A larger header limit than Node's 16 KB, so that long URLs get HubSpot's 414 rather than Node's 431.
  const server = createServer({ maxHeaderSize: 64 * 1024 }, createSandboxApp(state, admin));
  const host = options.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;

  return {
    ...admin,
    url: `http://${host.includes(':') ? `[${host}]` : host}:${port}`,
    state,
    webhooks,
    async close() {
      webhooks.close();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
  };
}
