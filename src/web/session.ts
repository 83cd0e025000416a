/**
 * The signed-in person's session: a random id in an httpOnly, sameSite cookie (secure in production
 * and whenever the app is served over https), the session itself in MongoDB (`sessions`, through connect-mongo), so every web
 * process sees it and a restart signs nobody out. It holds who signed in through HubSpot's OAuth and
 * which portals they may see.
 *
 * The store follows the connection's client: when the watchdog (src/db/connect-mongo.ts) reopens a
 * connection after an outage, mongoose gives it a new MongoClient and closes the old one, so a
 * connect-mongo store handed the client once would fail every request for good. Here each call goes
 * to a connect-mongo store of the client the connection has now.
 */
import { hkdfSync } from 'node:crypto';
import MongoStore from 'connect-mongo';
import session, { Store, type SessionData } from 'express-session';
import type { RequestHandler } from 'express';
import type { Connection } from 'mongoose';
import type { TokenKeyring } from '../install/token-cipher.ts';

export const SESSION_COOKIE = 'propensity_session';
export const SESSION_TTL_SECONDS = 7 * 86_400;
export const SESSIONS_COLLECTION = 'sessions';

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

type MongoClientOption = Parameters<typeof MongoStore.create>[0]['client'];
type Callback<T = unknown> = (err: unknown, value?: T) => void;

/** An express-session store over connect-mongo that always uses the connection's current client. */
export class ConnectionSessionStore extends Store {
  private current: { client: unknown; store: MongoStore } | undefined;

  constructor(private readonly connection: Connection) {
    super();
  }

  private store(): MongoStore {
    const client = this.connection.getClient();
    if (this.current?.client !== client) {
      this.current = {
        client,
        store: MongoStore.create({
          client: client as unknown as MongoClientOption,
          dbName: this.connection.name,
          collectionName: SESSIONS_COLLECTION,
          ttl: SESSION_TTL_SECONDS,
          // The embedded engine runs no TTL deletion: expired sessions are removed by the scheduled
          // clean-up (src/pipeline/clean-up.ts); connect-mongo also ignores expired sessions on read.
          autoRemove: 'disabled',
          touchAfter: 3600,
          stringify: false,
        }),
      };
    }
    return this.current.store;
  }

  override get(sid: string, callback: Callback<SessionData | null>): void {
    this.store().get(sid, callback);
  }

  override set(sid: string, data: SessionData, callback?: (err?: unknown) => void): void {
    this.store().set(sid, data, callback);
  }

  override touch(sid: string, data: SessionData, callback?: () => void): void {
    this.store().touch(sid, data, callback);
  }

  override destroy(sid: string, callback?: (err?: unknown) => void): void {
    this.store().destroy(sid, callback);
  }

  /** True when a session can be read now (what every signed-in request needs), within `timeoutMs`. */
  async isReady(timeoutMs = 1_000): Promise<boolean> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<false>((resolve) => { timer = setTimeout(() => resolve(false), timeoutMs); });
    const read = new Promise<boolean>((resolve) => {
      try {
        this.get('readiness-check', (error) => resolve(!error));
      } catch {
        resolve(false);
      }
    });
    try {
      return await Promise.race([read, timeout]);
    } finally {
      clearTimeout(timer);
    }
  }
}

export interface SessionLayer {
  middleware: RequestHandler;
  store: ConnectionSessionStore;
}

export function sessionMiddleware(connection: Connection, keyring: TokenKeyring, secure: boolean): SessionLayer {
  const store = new ConnectionSessionStore(connection);
  const middleware = session({
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
  return { middleware, store };
}
