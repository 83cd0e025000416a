/**
 * Stores an install: the portal, who installed it, the granted scopes and its tokens (encrypted).
 * One atomic upsert keyed by portal id, so a re-install updates the same record and never duplicates it.
 */
import type { Connection } from 'mongoose';
import { portalModel } from '../db/models/portal.ts';
import type { GrantedInstall } from './hubspot-strategy.ts';
import { seal, type TokenKeyring } from './token-cipher.ts';

export interface InstallRecord {
  portalId: number;
  reinstall: boolean;
}

export async function recordInstall(connection: Connection, keyring: TokenKeyring, grant: GrantedInstall, now = new Date()): Promise<InstallRecord> {
  const { tokenInfo } = grant;
  const previous = await portalModel(connection).findOneAndUpdate(
    { portalId: tokenInfo.portalId },
    {
      $set: {
        status: 'installed',
        hubDomain: tokenInfo.hubDomain,
        scopes: tokenInfo.scopes,
        installedBy: { userId: tokenInfo.userId, email: tokenInfo.userEmail },
        installedAt: now,
        tokens: {
          access: seal(keyring, grant.accessToken),
          refresh: seal(keyring, grant.refreshToken),
          issuedAt: now,
          expiresAt: new Date(now.getTime() + grant.expiresIn * 1000),
          version: now.getTime(),
        },
      },
      $unset: { uninstalledAt: 1, uninstallReason: 1, tokenRefreshLease: 1, reauthorisation: 1 },
      $setOnInsert: { portalId: tokenInfo.portalId, firstInstalledAt: now },
      $inc: { installCount: 1 },
    },
    { upsert: true, returnDocument: 'before' },
  );
  return { portalId: tokenInfo.portalId, reinstall: previous !== null };
}
