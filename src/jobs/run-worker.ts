/**
 * A worker: claims jobs it has handlers for, runs them, keeps its lease alive while a job runs, and
 * records the outcome. A worker that dies loses its lease and another one takes the job over, so a
 * handler must be safe to run again (every handler here is: idempotent upserts, checkpoints).
 */
import { randomUUID } from 'node:crypto';
import type { Connection } from 'mongoose';
import { jobModel, type JobDocument } from '../db/models/job.ts';
import type { Logger } from '../log.ts';
import { claimJob, completeJob, failJob } from './job-queue.ts';

export type JobHandler = (job: JobDocument) => Promise<void>;

export interface WorkerOptions {
  connection: Connection;
  logger: Logger;
  handlers: Record<string, JobHandler>;
  /** Jobs run at once by this worker. */
  concurrency?: number;
  pollMs?: number;
  leaseMs?: number;
  /** Told about every job run (for /metrics). */
  onJobRun?: (type: string, outcome: 'done' | 'retry' | 'dead', seconds: number) => void;
}

export interface RunningWorker {
  holder: string;
  /** Jobs finished by this worker, by type. */
  finished: Map<string, number>;
  stop(): Promise<void>;
}

export function startWorker(options: WorkerOptions): RunningWorker {
  const holder = `worker-${process.pid}-${randomUUID().slice(0, 8)}`;
  const { connection, logger, handlers } = options;
  const pollMs = options.pollMs ?? 250;
  const leaseMs = options.leaseMs ?? 60_000;
  const types = Object.keys(handlers);
  const finished = new Map<string, number>();
  let stopping = false;
  let wake: (() => void) | undefined;

  async function runOne(job: JobDocument): Promise<void> {
    const log = logger.child({ portalId: job.portalId, job: job.type, jobId: String(job._id), attempt: job.attempts });
    const heartbeat = setInterval(() => {
      jobModel(connection)
        .updateOne({ _id: job._id, leaseHolder: holder, status: 'running' }, { $set: { leaseUntil: new Date(Date.now() + leaseMs) } })
        .catch(() => {});
    }, leaseMs / 3);
    const started = Date.now();
    try {
      await handlers[job.type](job);
      await completeJob(connection, job);
      finished.set(job.type, (finished.get(job.type) ?? 0) + 1);
      log.info({ ms: Date.now() - started }, 'job done');
      options.onJobRun?.(job.type, 'done', (Date.now() - started) / 1000);
    } catch (error) {
      const outcome = await failJob(connection, job, error).catch(() => 'retry' as const);
      options.onJobRun?.(job.type, outcome, (Date.now() - started) / 1000);
      log[outcome === 'dead' ? 'error' : 'warn']({ err: error, outcome }, outcome === 'dead' ? 'job failed for good (dead-lettered)' : 'job failed; will retry');
    } finally {
      clearInterval(heartbeat);
    }
  }

  async function loop(): Promise<void> {
    while (!stopping) {
      let job: JobDocument | null = null;
      try {
        job = await claimJob(connection, { holder, leaseMs, types });
      } catch (error) {
        logger.warn({ err: error }, 'cannot claim jobs (MongoDB unavailable?); retrying');
      }
      if (job) {
        await runOne(job);
        continue;
      }
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, pollMs);
        wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
    }
  }

  const lanes = Array.from({ length: options.concurrency ?? 2 }, () => loop());
  return {
    holder,
    finished,
    async stop() {
      stopping = true;
      wake?.();
      await Promise.all(lanes);
    },
  };
}
