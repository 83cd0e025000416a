import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { test } from 'node:test';
import { createKeyring, needsRotation, open, seal } from '../../src/install/token-cipher.ts';

const k1 = { keyId: 'k1', key: randomBytes(32) };
const k2 = { keyId: 'k2', key: randomBytes(32) };

test('sealed tokens open to the same text and never contain it', () => {
  const keyring = createKeyring(k1);
  const token = 'CNXk-access-token-1234567890';
  const sealed = seal(keyring, token);
  assert.equal(sealed.keyId, 'k1');
  assert.ok(!sealed.data.includes(token));
  assert.ok(!Buffer.from(sealed.data, 'base64').toString('latin1').includes(token));
  assert.equal(open(keyring, sealed), token);
  assert.notEqual(seal(keyring, token).data, sealed.data, 'a fresh IV every time');
});

test('a tampered ciphertext or key id fails to open', () => {
  const keyring = createKeyring(k1, [k2]);
  const sealed = seal(keyring, 'secret');
  const raw = Buffer.from(sealed.data, 'base64');
  raw[14] ^= 1;
  assert.throws(() => open(keyring, { ...sealed, data: raw.toString('base64') }));
  assert.throws(() => open(keyring, { ...sealed, keyId: 'k2' }), 'the key id is authenticated');
  assert.throws(() => open(keyring, { ...sealed, keyId: 'k9' }), /unknown key id/);
});

test('after rotation old tokens still open and are flagged for re-encryption', () => {
  const before = createKeyring(k1);
  const sealed = seal(before, 'refresh-token');
  const after = createKeyring(k2, [k1]);
  assert.equal(open(after, sealed), 'refresh-token');
  assert.equal(needsRotation(after, sealed), true);
  assert.equal(needsRotation(after, seal(after, 'x')), false);
});

test('keys must be 32 bytes', () => {
  assert.throws(() => createKeyring({ keyId: 'short', key: randomBytes(16) }), /32 bytes/);
});
