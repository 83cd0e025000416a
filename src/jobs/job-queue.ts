/**
 * The queue every stage of the pipeline hands work through. Without transactions (the embedded engine
 * has none), correctness comes from single-document atomic updates: a claim is one findOneAndUpdate
 * that takes a lease; finishing checks the lease is still ours; queueing with a dedupe key is a no-op
 * while the same work is already queued or running.
 */
import type { Connection } from 'mongoose';
import { jobModel, type JobDocument } from '../db/models/job.ts';

export interface NewJob {
  portalId: number;
  type: string;
  payload?: Record<string, unknown>;
  dedupeKey?: string;
  runAt?: Date;
  maxAttempts?: number;
}

/** Queues a job; with a `dedupeKey` already queued or running, returns that job instead. */
export async function enqueueJob(connection: Connection, job: NewJob, now = new Date()): Promise<{ id: string; created: boolean }> {
  const jobs = jobModel(connection);
  try {
    const created = await jobs.create({
      portalId: job.portalId,
      type: job.type,
      payload: job.payload ?? {},
      dedupeKey: job.dedupeKey,
      status: 'queued',
      runAt: job.runAt ?? now,
      maxAttempts: job.maxAttempts ?? 8,
    });
    return { id: String(created._id), created: true };
  } catch (error) {
    if ((error as { code?: number }).code !== 11000 || !job.dedupeKey) throw error;
    const existing = await jobs.findOne({ dedupeKey: job.dedupeKey, status: { $in: ['queued', 'running'] } }, { _id: 1 }).lean();
    return { id: String(existing?._id), created: false };
  }
}

export interface Claim {
  holder: string;
  leaseMs: number;
  types?: string[];
}

/** Takes the oldest due job (or one whose lease ran out), leased to `holder`. */
export async function claimJob(connection: Connection, claim: Claim, now = new Date()): Promise<JobDocument | null> {
  const typeFilter = claim.types ? { type: { $in: claim.types } } : {};
  const take = { $set: { status: 'running' as const, leaseHolder: claim.holder, leaseUntil: new Date(now.getTime() + claim.leaseMs) }, $inc: { attempts: 1 } };
  // Two plain claims rather than one $or: the embedded engine cannot plan an $or with a sort.
  const due = await jobModel(connection)
    .findOneAndUpdate({ ...typeFilter, status: 'queued', runAt: { $lte: now } }, take, { sort: { runAt: 1 }, returnDocument: 'after' })
    .lean<JobDocument>();
  if (due) return due;
  return jobModel(connection)
    .findOneAndUpdate({ ...typeFilter, status: 'running', leaseUntil: { $lte: now } }, take, { sort: { leaseUntil: 1 }, returnDocument: 'after' })
    .lean<JobDocument>();
}

/** Marks a job done, if our lease still holds it. */
export async function completeJob(connection: Connection, job: JobDocument, now = new Date()): Promise<boolean> {
  const result = await jobModel(connection).updateOne(
    { _id: job._id, status: 'running', leaseHolder: job.leaseHolder },
    { $set: { status: 'done', finishedAt: now }, $unset: { leaseHolder: 1, leaseUntil: 1, dedupeKey: 1 } },
  );
  return result.modifiedCount === 1;
}

/** Backs a failed job off exponentially, or dead-letters it after its last attempt. */
export async function failJob(connection: Connection, job: JobDocument, error: unknown, now = new Date()): Promise<'retry' | 'dead'> {
  const dead = job.attempts >= job.maxAttempts;
  const backoffMs = Math.min(60 * 60_000, 1_000 * 2 ** (job.attempts - 1));
  const message = error instanceof Error ? error.message : String(error);
  await jobModel(connection).updateOne(
    { _id: job._id, status: 'running', leaseHolder: job.leaseHolder },
    dead
      ? { $set: { status: 'dead', lastError: message, finishedAt: now }, $unset: { leaseHolder: 1, leaseUntil: 1, dedupeKey: 1 } }
      : { $set: { status: 'queued', lastError: message, runAt: new Date(now.getTime() + backoffMs) }, $unset: { leaseHolder: 1, leaseUntil: 1 } },
  );
  return dead ? 'dead' : 'retry';
}
