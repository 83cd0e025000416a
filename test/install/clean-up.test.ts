/**
 * The embedded engine runs no TTL deletion: the scheduled clean-up removes expired OAuth states
 * (anonymous install starts leave one each) and expired sessions, and keeps every live one.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { test } from 'node:test';
import { migrateUp } from '../../src/db/migrate.ts';
import { oauthStateModel } from '../../src/db/models/oauth-state.ts';
import { OAuthStateStore } from '../../src/install/oauth-state-store.ts';
import { defaultSchedule, scheduledTasks } from '../../src/pipeline/scheduled-tasks.ts';
import { testDatabase } from '../helpers/mongo.ts';

test('the scheduled clean-up removes expired OAuth states and sessions, and keeps live ones', async () => {
  const connection = await testDatabase('clean_up');
  await migrateUp(connection);
  const secret = randomBytes(32);
  const elevenMinutesAgo = new OAuthStateStore(connection, secret, () => new Date(Date.now() - 11 * 60_000));
  const current = new OAuthStateStore(connection, secret);
  for (let i = 0; i < 40; i++) await elevenMinutesAgo.issue();
  const used = await elevenMinutesAgo.issue();
  await oauthStateModel(connection).updateOne({ _id: used.split('.')[0] }, { $set: { usedAt: new Date(Date.now() - 10 * 60_000) } });
  const live = await current.issue();
  const sessions = connection.db!.collection<{ _id: string; expires: Date; session: object }>('sessions');
  await sessions.insertMany([
    { _id: 'expired-1', expires: new Date(Date.now() - 1000), session: {} },
    { _id: 'expired-2', expires: new Date(Date.now() - 86_400_000), session: {} },
    { _id: 'live', expires: new Date(Date.now() + 86_400_000), session: {} },
  ]);

  const task = scheduledTasks(connection, defaultSchedule).find((t) => t.name === 'expired-states-and-sessions');
  assert.ok(task, 'a scheduled clean-up task');
  assert.equal(task.cron, '*/15 * * * *');
  await task.run('test');

  assert.deepEqual((await oauthStateModel(connection).find({}, { _id: 1 }).lean()).map((s) => s._id), [live.split('.')[0]]);
  assert.deepEqual((await sessions.find({}, { projection: { _id: 1 } }).toArray()).map((s) => s._id), ['live']);
  assert.equal(await current.claim(live), null, 'the live state still works');
});
