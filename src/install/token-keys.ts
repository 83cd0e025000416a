/**
 * The keyring that encrypts OAuth tokens. Production sets TOKEN_ENCRYPTION_KEY (config requires it
 * with HubSpot credentials); the local sandbox run generates a key once under the data folder.
 */
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Config } from '../config.ts';
import { createKeyring, type TokenKeyring } from './token-cipher.ts';

export async function loadTokenKeyring(config: Config): Promise<TokenKeyring> {
  if (config.tokenEncryption) return createKeyring(config.tokenEncryption.current, config.tokenEncryption.previous);
  if (config.hubspot.mode === 'hubspot') throw new Error('TOKEN_ENCRYPTION_KEY: required when HubSpot credentials are configured');
  const file = path.join(config.dataDir, 'secrets', 'token-encryption.key');
  if (!existsSync(file)) {
    await mkdir(path.dirname(file), { recursive: true, mode: 0o700 });
    await writeFile(file, randomBytes(32).toString('base64'), { mode: 0o600, flag: 'wx' }).catch((error: NodeJS.ErrnoException) => {
      if (error.code !== 'EEXIST') throw error;
    });
  }
  const key = Buffer.from((await readFile(file, 'utf8')).trim(), 'base64');
  return createKeyring({ keyId: 'local', key });
}
