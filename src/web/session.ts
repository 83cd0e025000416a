/**
 * The signed-in person's session: a random id in an httpOnly, sameSite cookie (secure in production
 * and whenever the app is served over https), the session itself in MongoDB (`sessions`, through connect-mongo), so every web
 * process sees it and a restart signs nobody out. It holds who signed in through HubSpot's OAuth and
 * which portals they may see.
 */
import { hkdfSync } from 'node:crypto';
import MongoStore from 'connect-mongo';
import session from 'express-session';
import type { RequestHandler } from 'express';
import type { Connection } from 'mongoose';
import type { TokenKeyring } from '../install/token-cipher.ts';

export const SESSION_COOKIE = 'propensity_session';
export const SESSION_TTL_SECONDS = 7 * 86_400;

declare module 'express-session' {
  interface SessionData {
    /** Portals this browser's user signed in to (HubSpot hub ids), newest last. */
    portals: number[];
    /** The HubSpot user, as the access token's info named them. */
    user: { id: number | undefined; email: string | undefined };
  }
}

/** The key that signs the session cookie, derived from the token key so there is one secret to manage. */
export function sessionSecret(keyring: TokenKeyring): string {
  return Buffer.from(hkdfSync('sha256', keyring.current.key, 'propensity', 'session cookie signing', 32)).toString('base64url');
}

export function sessionMiddleware(connection: Connection, keyring: TokenKeyring, secure: boolean): RequestHandler {
  const store = MongoStore.create({
    client: connection.getClient() as unknown as Parameters<typeof MongoStore.create>[0]['client'],
    dbName: connection.db!.databaseName,
    collectionName: 'sessions',
    ttl: SESSION_TTL_SECONDS,
    // TTL index where the engine expires documents; connect-mongo also ignores expired sessions on read.
    autoRemove: 'native',
    touchAfter: 3600,
    stringify: false,
  });
  return session({
    name: SESSION_COOKIE,
    secret: sessionSecret(keyring),
    store,
    resave: false,
    saveUninitialized: false,
    rolling: false,
    // Behind the HTTPS load balancer the connection here is plain http: its X-Forwarded-Proto says https.
    proxy: secure ? true : undefined,
    cookie: { httpOnly: true, sameSite: 'lax', secure, maxAge: SESSION_TTL_SECONDS * 1000, path: '/' },
  });
}
