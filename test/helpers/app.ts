/** A Propensity web app over a test database, for tests that drive routes through supertest. */
import { randomBytes } from 'node:crypto';
import type { Express } from 'express';
import type { Connection } from 'mongoose';
import { migrateUp } from '../../src/db/migrate.ts';
import type { HubSpotApp } from '../../src/hubspot/hubspot-app.ts';
import { createKeyring } from '../../src/install/token-cipher.ts';
import { createLogger } from '../../src/log.ts';
import { createServices, type Services } from '../../src/services.ts';
import { createWebApp } from '../../src/web/create-web-app.ts';
import { testDatabase } from './mongo.ts';

export function testHubSpotApp(overrides: Partial<HubSpotApp> = {}): HubSpotApp {
  return {
    clientId: 'test-client-id',
    clientSecret: 'test-client-secret',
    appId: '424242',
    apiBaseUrl: 'http://127.0.0.1:9',
    authorizeUrl: 'http://127.0.0.1:9/oauth/authorize',
    publicUrl: 'https://propensity.example.com',
    requiredScopes: ['oauth', 'crm.objects.contacts.read'],
    optionalScopes: [],
    ...overrides,
  };
}

export async function testWebApp(label: string, app: HubSpotApp = testHubSpotApp()): Promise<{ web: Express; services: Services; connection: Connection }> {
  const connection = await testDatabase(label);
  await migrateUp(connection);
  const logger = createLogger({ level: 'silent' });
  const services = createServices(connection, logger, app, createKeyring({ keyId: 'test', key: randomBytes(32) }));
  return { web: createWebApp({ connection, logger, services }), services, connection };
}
