/**
 * What a token is: `GET /oauth/v1/access-tokens/{token}` (portal id, domain, app, user, scopes),
 * `GET|DELETE /oauth/v1/refresh-tokens/{token}`, and the date-versioned
 * `POST /oauth/2026-03/token/introspect` and `/revoke`.
 */
import express, { Router, type Response } from 'express';
import { SandboxError } from '../errors.ts';
import type { AccessToken, RefreshToken, SandboxState } from '../sandbox-state.ts';

const notFound = () => new SandboxError(404, 'OBJECT_NOT_FOUND', 'Token not found or expired');

function accessInfo(state: SandboxState, token: AccessToken): Record<string, unknown> {
  return {
    token: token.token, user: token.user, hub_domain: state.portals.get(token.portalId)?.domain, scopes: token.scopes,
    hub_id: token.portalId, app_id: token.appId, expires_in: Math.max(0, Math.round((token.expiresAt - Date.now()) / 1000)),
    user_id: token.userId, token_type: 'access', is_private_distribution: false,
  };
}

function refreshInfo(state: SandboxState, token: RefreshToken): Record<string, unknown> {
  return {
    token: token.token, user: token.user, hub_domain: state.portals.get(token.portalId)?.domain, scopes: token.scopes,
    hub_id: token.portalId, client_id: token.clientId, user_id: token.userId, token_type: 'refresh',
  };
}

function liveAccess(state: SandboxState, value: unknown): AccessToken | undefined {
  const token = typeof value === 'string' ? state.accessTokens.get(value) : undefined;
  return token && token.expiresAt > Date.now() && state.isInstalled(token.portalId, token.appId) ? token : undefined;
}

export function tokenMetadataRoutes(state: SandboxState): Router {
  const router = Router();
  const form = express.urlencoded({ extended: false, limit: '16kb' });

  router.get('/oauth/v1/access-tokens/:token', (req, res) => {
    const token = liveAccess(state, req.params.token);
    if (!token) throw notFound();
    res.json(accessInfo(state, token));
  });

  router.get('/oauth/v1/refresh-tokens/:token', (req, res) => {
    const token = state.refreshTokens.get(req.params.token);
    if (!token) throw notFound();
    res.json(refreshInfo(state, token));
  });

  // Deletes the refresh token only: the install and its access tokens stay, as in HubSpot.
  router.delete('/oauth/v1/refresh-tokens/:token', (req, res) => {
    if (!state.refreshTokens.delete(req.params.token)) throw notFound();
    res.status(204).end();
  });

  const clientChecked = (res: Response, body: Record<string, unknown>) => {
    const app = typeof body.client_id === 'string' ? state.apps.get(body.client_id) : undefined;
    if (!app || app.clientSecret !== body.client_secret) {
      res.status(400).json({ status: 'BAD_CLIENT_ID', message: 'missing or invalid client id or secret', error: 'invalid_client', error_description: 'missing or invalid client id or secret' });
      return undefined;
    }
    return app;
  };

  router.post('/oauth/2026-03/token/introspect', form, (req, res) => {
    const body = (req.body ?? {}) as Record<string, unknown>;
    const app = clientChecked(res, body);
    if (!app) return;
    const access = liveAccess(state, body.token);
    if (access && access.appId === app.appId) return void res.json({ active: true, client_id: app.clientId, token_use: 'access_token', ...accessInfo(state, access) });
    const refresh = typeof body.token === 'string' ? state.refreshTokens.get(body.token) : undefined;
    if (refresh && refresh.appId === app.appId) return void res.json({ active: true, app_id: app.appId, token_use: 'refresh_token', ...refreshInfo(state, refresh) });
    res.json({ active: false });
  });

  router.post('/oauth/2026-03/token/revoke', form, (req, res) => {
    const body = (req.body ?? {}) as Record<string, unknown>;
    const app = clientChecked(res, body);
    if (!app) return;
    const refresh = typeof body.token === 'string' ? state.refreshTokens.get(body.token) : undefined;
    if (refresh && refresh.appId === app.appId) state.refreshTokens.delete(refresh.token);
    res.status(204).end();
  });

  return router;
}
