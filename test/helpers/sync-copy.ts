/** The check every sync test ends with: the local copy of a portal equals the sandbox's portal exactly. */
import assert from 'node:assert/strict';
import { crmObjectModel } from '../../src/db/models/crm-object.ts';
import { currentValue, historyOf, type SandboxObjectType } from '../../src/sandbox/sandbox-store.ts';
import type { Sandbox } from '../../src/sandbox/start-sandbox.ts';
import { associatedTypes } from '../../src/sync/associated-types.ts';
import { propertyOf } from '../../src/sync/crm-record.ts';
import type { TestPropensity } from './propensity-app.ts';

/** Every object of the portal in the sandbox equals the local copy: ids, values, history, links (as the sync keeps them). */
export async function assertCopyEquals(s: Sandbox, p: TestPropensity, portalId: number) {
  const portal = s.state.portals.get(portalId)!;
  for (const type of ['contacts', 'companies', 'deals'] as SandboxObjectType[]) {
    const local = await crmObjectModel(p.connection).find({ portalId, objectType: type }).lean();
    const remote = [...portal.objects[type].values()].filter((o) => !o.archived && o.mergedInto === undefined);
    assert.equal(local.length, remote.length, `${type}: one local copy per object`);
    const byId = new Map(local.map((o) => [o.objectId, o]));
    for (const object of remote) {
      const copy = byId.get(String(object.id));
      assert.ok(copy, `${type} ${object.id} synced`);
      for (const [name] of object.props) {
        if (!copy.properties.some((x) => x.name === name)) continue; // not a synced property
        assert.equal(propertyOf(copy, name), currentValue(type, object, name), `${type} ${object.id} ${name}`);
        const history = copy.history.find((h: { name: string }) => h.name === name) as { entries: unknown[] };
        assert.equal(history.entries.length, Math.min(100, historyOf(type, object, name).length), `${type} ${object.id} ${name} history`);
      }
      for (const toType of associatedTypes[type]) {
        const ids: string[] = copy.associations.find((a) => a.toType === toType)?.ids ?? [];
        assert.deepEqual([...ids].sort(), [...(object.assoc.get(toType) ?? [])].map(String).sort(), `${type} ${object.id} → ${toType}`);
      }
      assert.equal(new Set(copy.associations.map((a) => a.toType)).size, copy.associations.length, `${type} ${object.id}: one entry per associated type`);
    }
  }
}
