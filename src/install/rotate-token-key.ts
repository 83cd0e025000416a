/**
 * Re-encrypts every stored token that is not under the current key. Each portal is one atomic update
 * guarded by the ciphertext it read, so a token refreshed meanwhile is left alone (it is already new).
 */
import type { Connection } from 'mongoose';
import { portalModel } from '../db/models/portal.ts';
import { needsRotation, open, seal, type TokenKeyring } from './token-cipher.ts';

export async function rotateTokenKey(connection: Connection, keyring: TokenKeyring): Promise<{ rotated: number; current: number }> {
  const portals = portalModel(connection);
  let rotated = 0;
  let current = 0;
  for await (const portal of portals.find({ tokens: { $exists: true } }).lean().cursor()) {
    const tokens = portal.tokens!;
    if (!needsRotation(keyring, tokens.access) && !needsRotation(keyring, tokens.refresh)) {
      current += 1;
      continue;
    }
    const result = await portals.updateOne(
      { _id: portal._id, 'tokens.access.data': tokens.access.data, 'tokens.refresh.data': tokens.refresh.data },
      { $set: { 'tokens.access': seal(keyring, open(keyring, tokens.access)), 'tokens.refresh': seal(keyring, open(keyring, tokens.refresh)) } },
    );
    rotated += result.modifiedCount;
  }
  return { rotated, current };
}
