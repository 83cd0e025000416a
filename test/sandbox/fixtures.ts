/** Sandbox test fixtures: one registered app, and tokens through the real OAuth code flow. */
import { Client } from '@hubspot/api-client';
import { DEFAULT_APP_SCOPES } from '../../src/sandbox/admin/sandbox-admin.ts';
import { startSandbox, type Sandbox, type StartSandboxOptions } from '../../src/sandbox/start-sandbox.ts';

export const testApp = { appId: 5150, clientId: 'sandbox-test-client', clientSecret: 'sandbox-test-secret', redirectUrls: ['http://127.0.0.1:9/callback'] };
export const allScopes = DEFAULT_APP_SCOPES.join(' ');

/** A sandbox with the test app registered and auto-approve on. */
export async function sandboxWithApp(options: StartSandboxOptions = {}, webhookTargetUrl?: string): Promise<Sandbox> {
  return startSandbox({ autoApprove: true, ...options, apps: [{ ...testApp, webhookTargetUrl }] });
}

/** The OAuth code flow (auto-approved) for `portalId`, exchanged by the real client. */
export async function authorize(sandbox: Sandbox, portalId: number, scopes = allScopes) {
  const query = new URLSearchParams({ client_id: testApp.clientId, redirect_uri: testApp.redirectUrls[0], scope: scopes, portal_id: String(portalId), state: 's', auto_approve: 'true' });
  const answer = await fetch(`${sandbox.url}/oauth/authorize?${query}`, { redirect: 'manual' });
  const location = answer.headers.get('location');
  if (answer.status !== 302 || !location) throw new Error(`authorize answered ${answer.status}: ${await answer.text()}`);
  const code = new URL(location).searchParams.get('code')!;
  return new Client({ basePath: sandbox.url }).oauth.tokensApi.create('authorization_code', code, testApp.redirectUrls[0], testApp.clientId, testApp.clientSecret);
}

/** A client for the portal, with retries off unless asked for. */
export async function clientFor(sandbox: Sandbox, portalId: number, options: { scopes?: string; retries?: number } = {}) {
  const tokens = await authorize(sandbox, portalId, options.scopes);
  return { tokens, client: new Client({ accessToken: tokens.accessToken, basePath: sandbox.url, numberOfApiCallRetries: options.retries ?? 0 }) };
}

/** The HTTP status and parsed body of a rejected @hubspot/api-client call. */
export async function failure(call: Promise<unknown>): Promise<{ code: number; body: Record<string, unknown> }> {
  try {
    await call;
  } catch (error) {
    const { code, body } = error as { code: number; body: unknown };
    return { code, body: typeof body === 'string' ? JSON.parse(body) : (body as Record<string, unknown>) };
  }
  throw new Error('the call succeeded');
}

export function bearer(accessToken: string, json = true): Record<string, string> {
  return json ? { authorization: `Bearer ${accessToken}`, 'content-type': 'application/json' } : { authorization: `Bearer ${accessToken}` };
}
