/**
 * The long-lived pieces a Propensity process shares between its web routes, workers and scheduler,
 * built once from the configuration and the database.
 */
import { hkdfSync } from 'node:crypto';
import type { Connection } from 'mongoose';
import type { Config } from './config.ts';
import { HubSpotClients, type HubSpotClientsOptions } from './hubspot/get-hubspot-client.ts';
import type { HubSpotApp } from './hubspot/hubspot-app.ts';
import { PortalTokens } from './hubspot/portal-tokens.ts';
import { loadAppDefinition } from './install/app-definition.ts';
import { OAuthStateStore } from './install/oauth-state-store.ts';
import type { TokenKeyring } from './install/token-cipher.ts';
import type { Logger } from './log.ts';

export interface Services {
  connection: Connection;
  logger: Logger;
  app: HubSpotApp;
  keyring: TokenKeyring;
  stateStore: OAuthStateStore;
  tokens: PortalTokens;
  hubspot: HubSpotClients;
  /** How long the OAuth callback waits for HubSpot's token endpoint. */
  tokenTimeoutMs?: number;
  /** How long a worker holds claimed work before another may take it over. */
  leaseMs: number;
}

export interface ServiceOptions {
  tokenTimeoutMs?: number;
  leaseMs?: number;
  hubspot?: HubSpotClientsOptions;
}

/** The key that signs OAuth `state`, derived from the token key so there is one secret to manage. */
export function oauthStateSecret(keyring: TokenKeyring): Buffer {
  return Buffer.from(hkdfSync('sha256', keyring.current.key, 'propensity', 'oauth state signing', 32));
}

export function createServices(connection: Connection, logger: Logger, app: HubSpotApp, keyring: TokenKeyring, options: ServiceOptions = {}): Services {
  const tokens = new PortalTokens(connection, keyring, app, logger);
  return {
    connection,
    logger,
    app,
    keyring,
    stateStore: new OAuthStateStore(connection, oauthStateSecret(keyring), undefined, undefined, app.publicUrl.startsWith('https://')),
    tokens,
    hubspot: new HubSpotClients(connection, app, tokens, logger, options.hubspot),
    tokenTimeoutMs: options.tokenTimeoutMs,
    leaseMs: options.leaseMs ?? 60_000,
  };
}

/** The real HubSpot, from the environment's credentials and app.json's scopes. */
export function hubspotAppFromConfig(config: Config): HubSpotApp | undefined {
  if (config.hubspot.mode !== 'hubspot') return undefined;
  const { auth } = loadAppDefinition().config;
  return {
    clientId: config.hubspot.clientId,
    clientSecret: config.hubspot.clientSecret,
    appId: config.hubspot.appId,
    apiBaseUrl: config.hubspot.apiBaseUrl,
    authorizeUrl: config.hubspot.authorizeUrl,
    publicUrl: config.http.publicUrl,
    requiredScopes: auth.requiredScopes,
    optionalScopes: auth.optionalScopes,
  };
}
