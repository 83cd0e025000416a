/**
 * HubSpot's install consent, as the sandbox shows it: `GET /oauth/authorize` checks the client id,
 * redirect URL and scopes, then shows a small page to pick the portal (account) and Approve or
 * Decline. Approving redirects back with a single-use `code` and the `state`; declining with
 * `error=access_denied`. With auto-approve (tests) the page is skipped.
 */
import { randomBytes } from 'node:crypto';
import express, { Router, type Response } from 'express';
import type { SandboxApp, SandboxState } from '../sandbox-state.ts';

const CODE_LIFETIME_MS = 10 * 60_000;

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
const scopeList = (value: unknown) => (typeof value === 'string' ? value.split(/[\s+]+/).filter(Boolean) : []);

function errorPage(res: Response, message: string): void {
  res.status(400).type('html').send(`<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Authorization error · HubSpot sandbox</title></head><body><h1>Authorization error</h1><p>${escapeHtml(message)}</p></body></html>`);
}

interface AuthorizeRequest {
  app: SandboxApp;
  redirectUri: string;
  scopes: string[];
  state?: string;
}

/** The request's app, redirect URL and granted scopes, or the reason it cannot be served. */
function readAuthorizeRequest(state: SandboxState, params: Record<string, unknown>): AuthorizeRequest | string {
  const app = typeof params.client_id === 'string' ? state.apps.get(params.client_id) : undefined;
  if (!app) return 'The client_id is unknown: no app is registered with it.';
  const redirectUri = typeof params.redirect_uri === 'string' ? params.redirect_uri : '';
  if (!app.redirectUrls.includes(redirectUri)) return `The redirect_uri does not match any redirect URL of the app: ${redirectUri || '(none)'}`;
  const required = scopeList(params.scope);
  if (required.length === 0) return 'The scope parameter is required.';
  const unknown = required.filter((s) => !app.scopes.includes(s));
  if (unknown.length > 0) return `The app is not configured with these scopes: ${unknown.join(', ')}`;
  const optional = scopeList(params.optional_scope).filter((s) => app.scopes.includes(s) && !required.includes(s));
  return { app, redirectUri, scopes: [...required, ...optional], state: typeof params.state === 'string' ? params.state : undefined };
}

function redirectWithCode(state: SandboxState, request: AuthorizeRequest, portalId: number): string {
  const code = `sbx-code-${randomBytes(16).toString('hex')}`;
  state.codes.set(code, { clientId: request.app.clientId, portalId, redirectUri: request.redirectUri, scopes: request.scopes, expiresAt: Date.now() + CODE_LIFETIME_MS, used: false });
  const url = new URL(request.redirectUri);
  url.searchParams.set('code', code);
  if (request.state !== undefined) url.searchParams.set('state', request.state);
  return url.toString();
}

function consentPage(state: SandboxState, request: AuthorizeRequest): string {
  const hidden = (name: string, value: string | undefined) => (value === undefined ? '' : `<input type="hidden" name="${name}" value="${escapeHtml(value)}">`);
  const portals = [...state.portals.values()];
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Connect app · HubSpot sandbox</title>
<style>body{font-family:system-ui,sans-serif;max-width:36rem;margin:3rem auto;color:#33475b}select,button{font-size:1rem}button{padding:.6rem 1.2rem;margin-right:.5rem;border-radius:4px;border:1px solid #cbd6e2;cursor:pointer}.approve{background:#ff7a59;color:#fff;border-color:#ff7a59}code{background:#f5f8fa;padding:0 .2rem}</style></head>
<body><p>HubSpot sandbox</p><h1>Connect app ${escapeHtml(String(request.app.appId))} to your HubSpot account</h1>
<form method="post" action="/oauth/authorize/decision">
<p><label>Account <select name="portal_id" id="portal">${portals.map((p) => `<option value="${p.id}">${escapeHtml(p.domain)} (${p.id})</option>`).join('')}</select></label></p>
<p>The app asks to:</p><ul id="scopes">${request.scopes.map((s) => `<li><code>${escapeHtml(s)}</code></li>`).join('')}</ul>
${hidden('client_id', request.app.clientId)}${hidden('redirect_uri', request.redirectUri)}${hidden('scope', request.scopes.join(' '))}${hidden('state', request.state)}
<button class="approve" name="decision" value="approve" id="approve">Connect app</button><button name="decision" value="decline" id="decline">Cancel</button>
</form></body></html>`;
}

export function consentRoutes(state: SandboxState): Router {
  const router = Router();

  router.get('/oauth/authorize', (req, res) => {
    const request = readAuthorizeRequest(state, req.query);
    if (typeof request === 'string') return errorPage(res, request);
    if (state.autoApprove || req.query.auto_approve === 'true') {
      const portalId = Number(req.query.portal_id ?? state.portals.keys().next().value);
      if (!state.portals.has(portalId)) return errorPage(res, `No portal ${String(req.query.portal_id ?? '')} to install into.`);
      return res.redirect(redirectWithCode(state, request, portalId));
    }
    res.type('html').send(consentPage(state, request));
  });

  router.post('/oauth/authorize/decision', express.urlencoded({ extended: false, limit: '16kb' }), (req, res) => {
    const body = (req.body ?? {}) as Record<string, unknown>;
    const request = readAuthorizeRequest(state, body);
    if (typeof request === 'string') return errorPage(res, request);
    if (body.decision !== 'approve') {
      const url = new URL(request.redirectUri);
      url.searchParams.set('error', 'access_denied');
      url.searchParams.set('error_description', 'The user declined to connect the app.');
      if (request.state !== undefined) url.searchParams.set('state', request.state);
      return res.redirect(url.toString());
    }
    const portalId = Number(body.portal_id);
    if (!state.portals.has(portalId)) return errorPage(res, `No portal ${String(body.portal_id ?? '')} to install into.`);
    res.redirect(redirectWithCode(state, request, portalId));
  });

  return router;
}
