/**
 * A real Propensity web app on a loopback port, installed against a real sandbox: for tests that go
 * through OAuth, webhooks and the HubSpot client over HTTP. Each gets its own test database.
 */
import { migrateUp } from '../../src/db/migrate.ts';
import type { Sandbox } from '../../src/sandbox/start-sandbox.ts';
import type { ServiceOptions } from '../../src/services.ts';
import { testDatabase } from './mongo.ts';
import { startPropensityApp, type TestPropensity } from './propensity-app.ts';

export { installPortal, startPropensityApp, type TestPropensity } from './propensity-app.ts';

export async function startTestPropensity(sandbox: Sandbox, label: string, options: ServiceOptions = {}): Promise<TestPropensity> {
  const connection = await testDatabase(label);
  await migrateUp(connection);
  return startPropensityApp(connection, sandbox, options);
}

/** A worker in this process, as `serve --role worker` runs it: jobs plus the inbox sweeper. */
export async function startTestWorker(propensity: TestPropensity): Promise<{ stop(): Promise<void>; finished: Map<string, number> }> {
  const { startWorker } = await import('../../src/jobs/run-worker.ts');
  const { jobHandlers } = await import('../../src/pipeline/job-handlers.ts');
  const { sweepInbox } = await import('../../src/webhooks/process-portal-webhooks.ts');
  const worker = startWorker({ connection: propensity.connection, logger: propensity.services.logger, handlers: jobHandlers(propensity.services), pollMs: 50 });
  const sweeper = setInterval(() => void sweepInbox(propensity.connection).catch(() => {}), 100);
  return {
    finished: worker.finished,
    async stop() {
      clearInterval(sweeper);
      await worker.stop();
    },
  };
}

/** Polls `check` until it is true (or fails after `timeoutMs`). */
export async function eventually(check: () => Promise<boolean>, timeoutMs = 20_000, what = 'condition'): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
