import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { test } from 'node:test';
import { migrateUp } from '../../src/db/migrate.ts';
import { portalModel } from '../../src/db/models/portal.ts';
import { recordInstall } from '../../src/install/record-install.ts';
import { rotateTokenKey } from '../../src/install/rotate-token-key.ts';
import { createKeyring, open } from '../../src/install/token-cipher.ts';
import { testDatabase } from '../helpers/mongo.ts';

test('rotation re-encrypts every portal\'s tokens under the new key, readable afterwards; a second run does nothing', async () => {
  const connection = await testDatabase('rotate');
  await migrateUp(connection);
  const k1 = { keyId: 'k1', key: randomBytes(32) };
  const k2 = { keyId: 'k2', key: randomBytes(32) };
  const before = createKeyring(k1);
  for (const portalId of [11, 12, 13]) {
    await recordInstall(connection, before, {
      accessToken: `access-${portalId}`,
      refreshToken: `refresh-${portalId}`,
      expiresIn: 1800,
      tokenInfo: { portalId, hubDomain: `p${portalId}.example`, appId: '1', userId: 5, userEmail: 'a@b.c', scopes: ['oauth'] },
    });
  }
  const after = createKeyring(k2, [k1]);
  assert.deepEqual(await rotateTokenKey(connection, after), { rotated: 3, current: 0 });
  const onlyNew = createKeyring(k2);
  for (const portal of await portalModel(connection).find().lean()) {
    assert.equal(portal.tokens!.access.keyId, 'k2');
    assert.equal(open(onlyNew, portal.tokens!.access), `access-${portal.portalId}`);
    assert.equal(open(onlyNew, portal.tokens!.refresh), `refresh-${portal.portalId}`);
  }
  assert.deepEqual(await rotateTokenKey(connection, after), { rotated: 0, current: 3 });
});
