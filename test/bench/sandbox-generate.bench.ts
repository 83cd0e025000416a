/**
 * How long the sandbox's history generator takes for a 100,000-contact portal (the bar: under 60 s),
 * what it holds, and that the API stays quick on it (a history page, a deep page, a search).
 * Run: node --import tsx test/bench/sandbox-generate.bench.ts [contacts]
 */
import { Client } from '@hubspot/api-client';
import { startSandbox } from '../../src/sandbox/start-sandbox.ts';

const contacts = Number(process.argv[2] ?? 100_000);
const app = { appId: 1, clientId: 'bench', clientSecret: 'bench-secret', redirectUrls: ['http://127.0.0.1:9/cb'] };
const sandbox = await startSandbox({ seed: 42, autoApprove: true, apps: [app], rateLimit: { perTenSeconds: 100_000, searchPerSecond: 1_000 } });

const started = performance.now();
const portal = sandbox.createPortal({ contacts, seed: 42 });
const seconds = (performance.now() - started) / 1000;
const store = sandbox.portal(portal.portalId);
let entries = 0;
for (const type of ['contacts', 'companies', 'deals'] as const) for (const o of store.objects[type].values()) for (const h of o.props.values()) entries += h.length;

const query = new URLSearchParams({ client_id: app.clientId, redirect_uri: app.redirectUrls[0], scope: 'oauth crm.objects.contacts.read', portal_id: String(portal.portalId) });
const code = new URL((await fetch(`${sandbox.url}/oauth/authorize?${query}`, { redirect: 'manual' })).headers.get('location')!).searchParams.get('code')!;
const tokens = await new Client({ basePath: sandbox.url }).oauth.tokensApi.create('authorization_code', code, app.redirectUrls[0], app.clientId, app.clientSecret);
const client = new Client({ accessToken: tokens.accessToken, basePath: sandbox.url });
const timed = async (call: () => Promise<unknown>) => {
  const t = performance.now();
  await call();
  return Math.round(performance.now() - t);
};
const history = ['lifecyclestage', 'hs_analytics_num_page_views', 'hs_email_open', 'num_conversion_events'];
const lastIds = store.ids('contacts');
const ms = {
  firstHistoryPage: await timed(() => client.crm.objects.basicApi.getPage('contacts', 50, undefined, history, history)),
  deepHistoryPage: await timed(() => client.crm.objects.basicApi.getPage('contacts', 50, String(lastIds[lastIds.length - 60]), history, history)),
  searchCustomers: await timed(() => client.crm.objects.searchApi.doSearch('contacts', { filterGroups: [{ filters: [{ propertyName: 'lifecyclestage', operator: 'EQ' as never, value: 'customer' }] }], sorts: ['hs_object_id'], properties: ['email'], limit: 200, after: undefined as unknown as string })),
};
await sandbox.close();

const rssMb = Math.round(process.memoryUsage().rss / 2 ** 20);
console.log(JSON.stringify({ bench: 'sandbox-generate', ...portal, historyEntries: entries, seconds: Number(seconds.toFixed(2)), rssMb, apiMs: ms }));
console.log(seconds < 60 ? `PASS: ${contacts} contacts in ${seconds.toFixed(1)} s (bar: 60 s)` : `FAIL: ${seconds.toFixed(1)} s (bar: 60 s)`);
process.exit(seconds < 60 ? 0 : 1);
