/**
 * A browser already signed in to some portals, for tests that drive the web app without a HubSpot
 * sign-in: a session stored where connect-mongo keeps them, and its cookie signed as express-session
 * signs it (`s:` + id + `.` + base64 HMAC-SHA256 of the id, padding removed).
 */
import { createHmac, randomBytes } from 'node:crypto';
import type { Request } from 'express';
import type { Connection } from 'mongoose';
import type { TokenKeyring } from '../../src/install/token-cipher.ts';
import { SESSION_COOKIE, SESSION_TTL_SECONDS, sessionSecret } from '../../src/web/session.ts';

export async function signedInSession(connection: Connection, keyring: TokenKeyring, portals: number[]): Promise<{ cookie: string; request: Request }> {
  const id = randomBytes(24).toString('base64url');
  const expires = new Date(Date.now() + SESSION_TTL_SECONDS * 1000);
  await connection.db!.collection<{ _id: string; expires: Date; session: object }>('sessions').insertOne({
    _id: id,
    expires,
    session: { cookie: { originalMaxAge: SESSION_TTL_SECONDS * 1000, expires, httpOnly: true, path: '/', sameSite: 'lax', secure: false }, portals, user: { id: 1, email: 'admin@example.com' } },
  });
  const signature = createHmac('sha256', sessionSecret(keyring)).update(id).digest('base64').replace(/=+$/, '');
  return { cookie: `${SESSION_COOKIE}=${encodeURIComponent(`s:${id}.${signature}`)}`, request: { sessionID: id } as Request };
}
