/**
 * What a run of the whole pipeline must end with, whatever went wrong on the way (fault tests):
 * nothing lost (every contact of every portal scored, written back, no job left or dead-lettered) and
 * nothing done twice in effect (HubSpot holds exactly the values Propensity holds, and the write
 * calls carried each contact once plus only the retries of writes that failed).
 */
import assert from 'node:assert/strict';
import type { Connection } from 'mongoose';
import { jobModel } from '../../src/db/models/job.ts';
import { recordScoreModel } from '../../src/db/models/record-score.ts';
import { trainedModelModel } from '../../src/db/models/trained-model.ts';
import { currentValue } from '../../src/sandbox/sandbox-store.ts';
import type { Sandbox } from '../../src/sandbox/start-sandbox.ts';
import { eventually } from './propensity.ts';

/** Waits until every contact of the portals is scored, every score (contacts' and companies') written back, and no job is left to run. */
export async function waitUntilWrittenBack(connection: Connection, portalIds: number[], contacts: number, timeoutMs: number): Promise<void> {
  const jobs = jobModel(connection);
  const scores = recordScoreModel(connection);
  const waiting = eventually(async () => {
    for (const portalId of portalIds) {
      if ((await jobs.countDocuments({ portalId, type: 'portal.write-scores', status: 'done' })) === 0) return false;
      if ((await jobs.countDocuments({ portalId, status: { $in: ['queued', 'running'] } })) > 0) return false;
      if ((await scores.countDocuments({ portalId, objectType: 'contacts', target: { $exists: true }, writePending: false })) !== contacts) return false;
      if (await scores.exists({ portalId, writePending: true })) return false;
    }
    return true;
  }, timeoutMs, 'every portal scored and written back');
  await waiting.catch(async (error: Error) => {
    const left = await jobs.find({ portalId: { $in: portalIds } }, { portalId: 1, type: 1, status: 1, attempts: 1, runAt: 1, leaseUntil: 1, lastError: 1 }).lean();
    const written = await scores.countDocuments({ portalId: { $in: portalIds }, objectType: 'contacts', target: { $exists: true }, writePending: false });
    throw new Error(`${error.message}: ${written} contacts written; jobs ${JSON.stringify(left)}`);
  });
}

export interface OutcomeOptions {
  /** Contacts a write may have carried again because the call that first carried them failed or was cut off. */
  rewritesAllowed?: (portalId: number) => number;
}

export async function assertNothingLostNothingTwice(connection: Connection, sandbox: Sandbox, portalIds: number[], contacts: number, options: OutcomeOptions = {}): Promise<void> {
  const counters = sandbox.counters().portals;
  for (const portalId of portalIds) {
    const dead = await jobModel(connection).find({ portalId, status: 'dead' }, { type: 1, lastError: 1 }).lean();
    assert.deepEqual(dead, [], `portal ${portalId}: no job dead-lettered`);
    const current = await trainedModelModel(connection).find({ portalId, status: 'current' }, { objectType: 1, target: 1 }).lean();
    assert.equal(current.length, new Set(current.map((m) => `${m.objectType} ${m.target}`)).size, `portal ${portalId}: one current model per object type and target`);

    const portal = sandbox.state.portals.get(portalId)!;
    const companies = [...portal.objects.companies.values()].filter((c) => !c.archived).length;
    for (const [objectType, count] of [['contacts', contacts], ['companies', companies]] as const) {
      const scores = await recordScoreModel(connection).find({ portalId, objectType }).lean();
      assert.equal(scores.length, count, `portal ${portalId}: every one of its ${objectType} scored once`);
      const inHubSpot = portal.objects[objectType];
      for (const score of scores) {
        assert.equal(score.writePending, false, `portal ${portalId}, ${objectType} ${score.objectId}: written`);
        const record = inHubSpot.get(Number(score.objectId));
        assert.ok(record, `portal ${portalId}, ${objectType} ${score.objectId} exists in HubSpot`);
        for (const { name, value } of score.values) {
          assert.equal(currentValue(objectType, record, name) ?? '', value, `portal ${portalId}, ${objectType} ${score.objectId}: ${name} in HubSpot is the value scored`);
        }
      }
    }
    const written = counters[String(portalId)].batchUpdateInputs;
    const allowed = options.rewritesAllowed?.(portalId) ?? 0;
    const records = contacts + companies;
    assert.ok(written >= records && written <= records + allowed, `portal ${portalId}: ${written} records carried by write calls for ${records} contacts and companies (${allowed} rewrites allowed)`);
  }
}
