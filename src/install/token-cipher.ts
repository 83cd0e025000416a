/**
 * OAuth tokens at rest: AES-256-GCM under the current key, the key's id stored beside the ciphertext
 * so keys can be rotated (old keys stay readable until `propensity rotate-token-key` re-encrypts).
 */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

export interface SealedSecret {
  keyId: string;
  /** base64: 12-byte IV | ciphertext | 16-byte tag */
  data: string;
}

export interface TokenKeyring {
  current: { keyId: string; key: Buffer };
  /** Keys that may still be found on stored tokens, by id (the current one included). */
  byId: Map<string, Buffer>;
}

export function createKeyring(current: { keyId: string; key: Buffer }, previous: { keyId: string; key: Buffer }[] = []): TokenKeyring {
  for (const k of [current, ...previous]) {
    if (k.key.length !== 32) throw new Error(`token encryption key ${k.keyId}: must be 32 bytes`);
  }
  return { current, byId: new Map([...previous, current].map((k) => [k.keyId, k.key])) };
}

export function seal(keyring: TokenKeyring, plaintext: string): SealedSecret {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', keyring.current.key, iv);
  cipher.setAAD(Buffer.from(keyring.current.keyId));
  const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
  return { keyId: keyring.current.keyId, data: Buffer.concat([iv, body, cipher.getAuthTag()]).toString('base64') };
}

export function open(keyring: TokenKeyring, sealed: SealedSecret): string {
  const key = keyring.byId.get(sealed.keyId);
  if (!key) throw new Error(`token encrypted under unknown key id "${sealed.keyId}"`);
  const raw = Buffer.from(sealed.data, 'base64');
  if (raw.length < 28) throw new Error('sealed token is truncated');
  const decipher = createDecipheriv('aes-256-gcm', key, raw.subarray(0, 12));
  decipher.setAAD(Buffer.from(sealed.keyId));
  decipher.setAuthTag(raw.subarray(raw.length - 16));
  return Buffer.concat([decipher.update(raw.subarray(12, raw.length - 16)), decipher.final()]).toString('utf8');
}

/** True when the secret is not under the keyring's current key (rotation pending). */
export function needsRotation(keyring: TokenKeyring, sealed: SealedSecret): boolean {
  return sealed.keyId !== keyring.current.keyId;
}
