/**
 * Hostile property values as HubSpot itself returns them: written into the sandbox with the real
 * @hubspot/api-client, read back by the app's real sync (`syncObjects`) into MongoDB, and compared
 * with what the app's record of them says; no operator or dotted key is stored.
 */
import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import fc from 'fast-check';
import { crmObjectModel } from '../../src/db/models/crm-object.ts';
import { propertyOf, storedValue } from '../../src/sync/crm-record.ts';
import { syncObjects } from '../../src/sync/sync-objects.ts';
import { startSandbox } from '../../src/sandbox/start-sandbox.ts';
import { operatorKeys } from '../helpers/operator-keys.ts';
import { installPortal, startTestPropensity } from '../helpers/propensity.ts';

// Rate limits lifted on both sides: what is tested here is the values, not the pacing.
const sandbox = await startSandbox({ seed: 41, rateLimit: { perTenSeconds: 1_000_000, searchPerSecond: 10_000 } });
const propensity = await startTestPropensity(sandbox, 'fuzz_hubspot_values', {
  hubspot: { backoffMs: 20, limits: { general: { limit: 1_000_000, windowMs: 10_000 }, search: { limit: 10_000, windowMs: 1_000 } } },
});
after(async () => {
  await propensity.close();
  await sandbox.close();
});
const p = sandbox.addPortal({ contacts: 120, seed: 41 });
assert.equal((await installPortal(propensity, sandbox, p.portalId)).status, 303);
const hubspot = propensity.services.hubspot.forPortal(p.portalId);
const custom = ['fuzz_text', 'fuzz_notes'];
for (const name of custom) {
  await hubspot.call((c) => c.crm.properties.coreApi.create('contacts', { name, label: name, type: 'string', fieldType: 'textarea', groupName: 'contactinformation' } as never));
}

const hostileText = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.constantFrom('$where', '{"$gt":""}', 'a.b', '$', '.', '__proto__', '\u0000nul', '\ud800', 'x\udc00y', '\u202eevil', 'e\u0301', '🧨'.repeat(50), '   ', 'null'),
  fc.integer({ min: 16_000, max: 40_000 }).map((n) => `${'é'.repeat(n)}😀`),
);

test('hostile values round-trip from HubSpot through the real client and sync into MongoDB', async () => {
  let checked = 0;
  let run = 0;
  await fc.assert(
    fc.asyncProperty(fc.array(fc.tuple(hostileText, hostileText), { minLength: 1, maxLength: 40 }), async (values) => {
      // New contacts each time (one updated over and over would carry every earlier value in its
      // history), told apart by a plain marker in jobtitle.
      run++;
      const inputs = values.map(([text, notes], i) => ({ properties: { fuzz_text: text, fuzz_notes: notes, jobtitle: `case-${run}-${i}` }, associations: [] }));
      const created = await hubspot.call((c) => c.crm.contacts.batchApi.create({ inputs }));
      const idOf = new Map(created.results.map((r) => [r.properties.jobtitle, r.id]));
      const ids = inputs.map((input) => idOf.get(input.properties.jobtitle) ?? '');
      assert.ok(ids.every((id) => id !== ''), 'each contact created');
      const { stored } = await syncObjects(propensity.connection, hubspot, 'contacts', ids);
      assert.deepEqual(stored.sort(), [...ids].sort());
      const documents = await crmObjectModel(propensity.connection).find({ portalId: p.portalId, objectId: { $in: ids } }).lean();
      for (const document of documents) {
        const i = ids.indexOf(document.objectId);
        assert.deepEqual(operatorKeys(document), []);
        // What HubSpot answers is the value sent (an empty string clears it: empty or absent), except that a
        // lone surrogate does not survive a UTF-8 body: the record is made of the value as it arrived.
        for (const [name, sent] of [['fuzz_text', values[i][0]], ['fuzz_notes', values[i][1]]] as const) {
          const value = propertyOf(document, name);
          if (sent === '') assert.equal(value ?? '', '', `${name} of ${document.objectId}`);
          else assert.equal(value, storedValue(sent.replace(/\p{Surrogate}/gu, '\ufffd')), `${name} of ${document.objectId}`);
          checked++;
        }
      }
    }),
    { numRuns: 40, endOnFailure: true, includeErrorInReport: true },
  );
  assert.ok(checked > 200, `${checked} values checked`);
});
