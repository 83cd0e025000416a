/**
 * The scheduled clean-up of what only ever expires: OAuth `state`s past their 10 minutes (used or
 * not: a state is accepted only before it expires) and sessions past their expiry (connect-mongo
 * ignores them on read). The embedded engine runs no TTL deletion, so without this every anonymous
 * install start and every sign-in would stay stored for good. No customer data is touched.
 */
import type { Connection } from 'mongoose';
import { oauthStateModel } from '../db/models/oauth-state.ts';
import { SESSIONS_COLLECTION } from '../web/session.ts';

export interface CleanUpResult {
  oauthStates: number;
  sessions: number;
}

export async function removeExpiredStatesAndSessions(connection: Connection, now = new Date()): Promise<CleanUpResult> {
  const states = await oauthStateModel(connection).deleteMany({ expiresAt: { $lt: now } });
  const sessions = await connection.db!.collection(SESSIONS_COLLECTION).deleteMany({ expires: { $lt: now } });
  return { oauthStates: states.deletedCount, sessions: sessions.deletedCount };
}
