/**
 * The marketplace install: `GET /oauth/install` sends the admin to HubSpot's consent page; HubSpot
 * sends them back to `GET /oauth/callback`, where the code becomes tokens, the portal is stored and
 * onboarding is queued. Every failure gets a clear page with the right status and stores nothing.
 * `GET /oauth/signin` is the same flow for a user of an installed portal: the token's info says the
 * hub id and the user, who is signed in to that portal's page (nothing else is stored). A sign-in to
 * a portal that has not installed Propensity is an install: HubSpot installed the app when the user
 * approved.
 */
import { Router, type NextFunction, type Request, type Response } from 'express';
import type { Connection } from 'mongoose';
import { Passport, type AuthenticateOptions } from 'passport';
import { InternalOAuthError, TokenError } from 'passport-oauth2';
import { portalModel } from '../db/models/portal.ts';
import type { HubSpotApp } from '../hubspot/hubspot-app.ts';
import type { TokenInfo } from '../hubspot/token-info.ts';
import type { Logger } from '../log.ts';
import { sendProblem } from '../web/problem-page.ts';
import { createHubSpotStrategy, type GrantedInstall } from './hubspot-strategy.ts';
import type { OAuthPurpose, OAuthStateStore } from './oauth-state-store.ts';
import { queueOnboarding } from './onboarding.ts';
import { recordInstall } from './record-install.ts';
import type { TokenKeyring } from './token-cipher.ts';

export interface InstallDeps {
  connection: Connection;
  logger: Logger;
  app: HubSpotApp;
  keyring: TokenKeyring;
  stateStore: OAuthStateStore;
  tokenTimeoutMs?: number;
  /** Signs the browser in to the portal (after an install or a sign-in), before the redirect to its page. */
  signIn?: (req: Request, tokenInfo: TokenInfo) => Promise<void>;
}

export function installRoutes(deps: InstallDeps): Router {
  const passport = new Passport();
  passport.use('hubspot', createHubSpotStrategy(deps.app, deps.stateStore, deps.tokenTimeoutMs));
  const router = Router();

  router.get('/oauth/install', passport.authenticate('hubspot', { session: false }));
  router.get('/oauth/signin', passport.authenticate('hubspot', { session: false, state: { purpose: 'signin' } } as unknown as AuthenticateOptions));

  router.get('/oauth/callback', (req: Request, res: Response, next: NextFunction) => {
    const declined = req.query.error;
    if (declined !== undefined) {
      req.log.info({ reason: String(declined) }, 'install not completed: HubSpot returned an error to the callback');
      if (declined === 'access_denied') {
        sendProblem(req, res, 403, 'Installation cancelled', 'You declined the permissions Propensity asks for, so nothing was installed. You can start the install again at any time.');
      } else {
        sendProblem(req, res, 400, 'Installation failed', `HubSpot reported "${String(declined).slice(0, 100)}". Nothing was installed; please try again.`);
      }
      return;
    }
    if (typeof req.query.code !== 'string' || req.query.code === '') {
      req.log.info({ reason: 'missing code' }, 'install callback without a code');
      sendProblem(req, res, 400, 'Installation failed', 'The link back from HubSpot had no authorization code. Please start the install again.');
      return;
    }
    passport.authenticate('hubspot', { session: false }, (error: unknown, grant: GrantedInstall | false, info: { message?: string; state?: { purpose?: OAuthPurpose } } | undefined) => {
      if (error) {
        failed(req, res, error);
        return;
      }
      if (!grant && info?.message === 'state not started in this browser') {
        req.log.warn({ reason: info.message }, 'install callback rejected');
        sendProblem(req, res, 403, 'Sign-in not started here', 'This link back from HubSpot belongs to a sign-in or install started in another browser, so it was not used. If you meant to sign in, start again from Propensity in this browser.');
        return;
      }
      if (!grant) {
        req.log.warn({ reason: info?.message ?? 'state rejected' }, 'install callback rejected');
        sendProblem(req, res, 403, 'Install link expired', 'This install link has expired or was already used. Please start the install again from HubSpot or from Propensity.');
        return;
      }
      const signIn = info?.state?.purpose === 'signin';
      (signIn ? completeSignIn : completeInstall)(deps, req, res, grant).catch(next);
    })(req, res, next);
  });

  return router;
}

async function completeInstall(deps: InstallDeps, req: Request, res: Response, grant: GrantedInstall): Promise<void> {
  if (grant.tokenInfo.appId !== deps.app.appId) {
    req.log.warn({ portalId: grant.tokenInfo.portalId, reason: 'token issued to another app' }, 'install rejected');
    sendProblem(req, res, 400, 'Installation failed', 'HubSpot issued this authorization to a different app. Nothing was installed.');
    return;
  }
  const { portalId, reinstall } = await recordInstall(deps.connection, deps.keyring, grant);
  await queueOnboarding(deps.connection, portalId);
  req.log.info({ portalId, reinstall, scopes: grant.tokenInfo.scopes }, reinstall ? 'portal re-installed' : 'portal installed');
  await deps.signIn?.(req, grant.tokenInfo);
  res.redirect(303, `/portals/${portalId}`);
}

async function completeSignIn(deps: InstallDeps, req: Request, res: Response, grant: GrantedInstall): Promise<void> {
  const { portalId } = grant.tokenInfo;
  const installed = grant.tokenInfo.appId === deps.app.appId && (await portalModel(deps.connection).exists({ portalId, status: 'installed' })) !== null;
  if (!installed) {
    await completeInstall(deps, req, res, grant);
    return;
  }
  await deps.signIn?.(req, grant.tokenInfo);
  req.log.info({ portalId, userId: grant.tokenInfo.userId }, 'signed in');
  res.redirect(303, `/portals/${portalId}`);
}

function failed(req: Request, res: Response, error: unknown): void {
  if (error instanceof TokenError) {
    req.log.warn({ reason: `${error.code}: ${error.message}` }, 'install failed: HubSpot refused the authorization code');
    sendProblem(req, res, 400, 'Installation failed', 'HubSpot did not accept this authorization (it may have been used already or expired). Nothing was installed; please start the install again.');
    return;
  }
  const cause = error instanceof InternalOAuthError ? (error.oauthError as { code?: string; statusCode?: number; data?: string } | undefined) : undefined;
  if (cause?.code === 'ETIMEDOUT') {
    req.log.error({ reason: 'token endpoint timed out' }, 'install failed');
    sendProblem(req, res, 504, 'HubSpot did not answer', 'HubSpot took too long to confirm the install. Nothing was installed; please try again in a minute.');
    return;
  }
  if (cause?.statusCode && cause.statusCode < 500) {
    req.log.warn({ reason: `token endpoint answered ${cause.statusCode}` }, 'install failed: HubSpot refused the authorization code');
    sendProblem(req, res, 400, 'Installation failed', 'HubSpot did not accept this authorization. Nothing was installed; please start the install again.');
    return;
  }
  const reason = cause?.statusCode ? `token endpoint answered ${cause.statusCode}` : (error as Error).message;
  req.log.error({ reason }, 'install failed');
  sendProblem(req, res, 502, 'HubSpot is unavailable', 'HubSpot could not complete the install just now. Nothing was installed; please try again in a minute.');
}
