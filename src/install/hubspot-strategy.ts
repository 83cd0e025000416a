/**
 * HubSpot's OAuth as a passport-oauth2 strategy. Authorize and token URLs come from the HubSpotApp,
 * so the local sandbox and the real HubSpot are the same code path. The "profile" is HubSpot's token
 * info (portal id, domain, installing user, granted scopes).
 */
import http from 'node:http';
import https from 'node:https';
import OAuth2Strategy from 'passport-oauth2';
import { fetchTokenInfo, type TokenInfo } from '../hubspot/token-info.ts';
import { redirectUrl, type HubSpotApp } from '../hubspot/hubspot-app.ts';
import type { OAuthStateStore } from './oauth-state-store.ts';

export interface GrantedInstall {
  accessToken: string;
  refreshToken: string;
  expiresIn: number;
  tokenInfo: TokenInfo;
}

export const TOKEN_REQUEST_TIMEOUT_MS = 10_000;

export function createHubSpotStrategy(app: HubSpotApp, stateStore: OAuthStateStore, timeoutMs = TOKEN_REQUEST_TIMEOUT_MS): OAuth2Strategy {
  const strategy = new OAuth2Strategy(
    {
      authorizationURL: app.authorizeUrl,
      tokenURL: `${app.apiBaseUrl}/oauth/v1/token`,
      clientID: app.clientId,
      clientSecret: app.clientSecret,
      callbackURL: redirectUrl(app),
      scope: app.requiredScopes,
      scopeSeparator: ' ',
      store: stateStore as unknown as OAuth2Strategy.StateStore,
    },
    (
      accessToken: string,
      refreshToken: string,
      params: { expires_in?: number | string },
      tokenInfo: TokenInfo,
      done: (err: Error | null, user?: GrantedInstall) => void,
    ) => {
      const expiresIn = Number(params.expires_in);
      if (!refreshToken || !Number.isFinite(expiresIn) || expiresIn <= 0) {
        done(new Error('HubSpot answered the token request without a refresh token or expires_in'));
        return;
      }
      done(null, { accessToken, refreshToken, expiresIn, tokenInfo });
    },
  );
  strategy.name = 'hubspot';
  strategy.authorizationParams = () => (app.optionalScopes.length > 0 ? { optional_scope: app.optionalScopes.join(' ') } : {});
  strategy.userProfile = (accessToken: string, done: (err?: unknown, profile?: unknown) => void) => {
    fetchTokenInfo(app, accessToken).then(
      (info) => done(null, info),
      (error) => done(Object.assign(new Error(`HubSpot token info failed: ${(error as Error).message}`), { cause: error })),
    );
  };
  limitTokenRequestTime(strategy, timeoutMs);
  return strategy;
}

/** node-oauth (under passport-oauth2) waits forever for the token endpoint; HubSpot may hang. */
function limitTokenRequestTime(strategy: OAuth2Strategy, timeoutMs: number): void {
  const oauth2 = (strategy as unknown as { _oauth2: { _chooseHttpLibrary(url: URL): unknown } })._oauth2;
  oauth2._chooseHttpLibrary = (parsedUrl: URL) => {
    const library = parsedUrl.protocol === 'https:' ? https : http;
    return {
      request(options: http.RequestOptions, callback?: (res: http.IncomingMessage) => void) {
        const request = library.request(options, callback);
        request.setTimeout(timeoutMs, () => {
          request.destroy(Object.assign(new Error(`HubSpot's token endpoint did not answer within ${timeoutMs} ms`), { code: 'ETIMEDOUT' }));
        });
        return request;
      },
    };
  };
}
