/**
 * `propensity sandbox`: the local HubSpot sandbox on its own, with generated portals, until SIGINT
 * or SIGTERM. Optionally registers one app (the credentials Propensity is configured with), so that
 * `propensity serve` with `HUBSPOT_API_BASE_URL` pointed at it installs into a generated portal.
 */
import { parseArgs } from 'node:util';
import { startSandbox } from '../../sandbox/start-sandbox.ts';
import { UsageError, type Command } from '../command.ts';

export interface SandboxArgs {
  port: number;
  host: string;
  seed: number;
  contacts: number;
  portals: number;
  autoApprove: boolean;
  app?: { appId: number; clientId: string; clientSecret: string; redirectUrls: string[]; webhookTargetUrl?: string };
}

function whole(name: string, value: string, min: number, max: number): number {
  const n = Number(value);
  if (!/^\d+$/.test(value) || !Number.isSafeInteger(n) || n < min || n > max) throw new UsageError(`--${name} must be a whole number from ${min} to ${max} (got "${value}")`);
  return n;
}

function url(name: string, value: string): string {
  if (!URL.canParse(value) || !/^https?:$/.test(new URL(value).protocol)) throw new UsageError(`--${name} must be an http(s) URL (got "${value}")`);
  return value;
}

export function parseSandboxArgs(argv: string[]): SandboxArgs {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      port: { type: 'string', default: '4010' },
      host: { type: 'string', default: '127.0.0.1' },
      seed: { type: 'string', default: '42' },
      contacts: { type: 'string', default: '1000' },
      portals: { type: 'string', default: '1' },
      'auto-approve': { type: 'boolean', default: false },
      'app-id': { type: 'string' },
      'client-id': { type: 'string' },
      'client-secret': { type: 'string' },
      'redirect-url': { type: 'string', multiple: true },
      'webhook-url': { type: 'string' },
    },
  });
  if (positionals.length > 0) throw new UsageError(`unexpected argument "${positionals[0]}"`);
  const appFlags = ['app-id', 'client-id', 'client-secret', 'redirect-url'] as const;
  const given = appFlags.filter((f) => values[f] !== undefined);
  if (given.length > 0 && given.length < appFlags.length) throw new UsageError(`registering an app needs all of --${appFlags.join(', --')}`);
  if (values['webhook-url'] !== undefined && given.length === 0) throw new UsageError('--webhook-url needs an app: give --app-id, --client-id, --client-secret and --redirect-url');
  return {
    port: whole('port', values.port!, 0, 65535),
    host: values.host!,
    seed: whole('seed', values.seed!, 0, 2 ** 31 - 1),
    contacts: whole('contacts', values.contacts!, 0, 200_000),
    portals: whole('portals', values.portals!, 0, 100),
    autoApprove: values['auto-approve']!,
    app: given.length === 0 ? undefined : {
      appId: whole('app-id', values['app-id']!, 1, 2 ** 31 - 1),
      clientId: values['client-id']!,
      clientSecret: values['client-secret']!,
      redirectUrls: values['redirect-url']!.map((u) => url('redirect-url', u)),
      webhookTargetUrl: values['webhook-url'] === undefined ? undefined : url('webhook-url', values['webhook-url']),
    },
  };
}

export const sandbox: Command = {
  name: 'sandbox',
  summary: 'run the local HubSpot sandbox (OAuth, CRM, properties, associations, webhooks) with generated portals',
  usage: 'propensity sandbox [--port 4010] [--host 127.0.0.1] [--seed 42] [--contacts 1000] [--portals 1] [--auto-approve]\n'
    + '                          [--app-id N --client-id ID --client-secret S --redirect-url URL [--webhook-url URL]]',
  async run(argv) {
    const args = parseSandboxArgs(argv);
    const server = await startSandbox({ port: args.port, host: args.host, seed: args.seed, autoApprove: args.autoApprove, apps: args.app ? [args.app] : [] });
    for (let i = 0; i < args.portals; i++) {
      const started = performance.now();
      const p = server.createPortal({ contacts: args.contacts, seed: args.seed + i });
      console.log(`portal ${p.portalId} (${p.domain}): ${p.contacts} contacts, ${p.companies} companies, ${p.deals} deals, ${p.customers} customers (${p.churned} churned), generated in ${((performance.now() - started) / 1000).toFixed(1)} s`);
    }
    if (args.app) console.log(`app ${args.app.appId} registered (client id ${args.app.clientId})`);
    console.log(`HubSpot sandbox listening on ${server.url} (admin API: ${server.url}/_sandbox)`);
    await new Promise<void>((resolve) => {
      process.once('SIGINT', resolve).once('SIGTERM', resolve);
    });
    await server.close();
    return 0;
  },
};
