/**
 * The queue every stage of the pipeline hands work through. Without transactions (the embedded engine
 * has none), correctness comes from single-document atomic updates: a claim is one findOneAndUpdate
 * that takes a lease (portals take turns, see `claimJob`); finishing checks the lease is still ours; queueing with a dedupe key is a no-op
 * while the same work is already queued or running.
 */
import type { Connection } from 'mongoose';
import { jobModel, type JobDocument } from '../db/models/job.ts';
import { jobTurnModel } from '../db/models/job-turn.ts';

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

/** How many portals in turn order a claim tries before it gives up (others raced it to their jobs). */
const PORTALS_TRIED_PER_CLAIM = 8;

/**
 * Takes a due job (or one whose lease ran out), leased to `holder`. Portals take turns: the claim goes
 * to a portal with nothing running before one that is busy, then to the portal served longest ago,
 * and within a portal to its oldest due job. So a portal with one job waits for at most one job of
 * each other portal, never for another portal's whole backlog.
 */
export async function claimJob(connection: Connection, claim: Claim, now = new Date()): Promise<JobDocument | null> {
  const typeFilter = claim.types ? { type: { $in: claim.types } } : {};
  const due = { ...typeFilter, status: 'queued' as const, runAt: { $lte: now } };
  const take = { $set: { status: 'running' as const, leaseHolder: claim.holder, leaseUntil: new Date(now.getTime() + claim.leaseMs) }, $inc: { attempts: 1 } };
  for (const portalId of (await portalsInTurn(connection, due, now)).slice(0, PORTALS_TRIED_PER_CLAIM)) {
    const job = await jobModel(connection).findOneAndUpdate({ ...due, portalId }, take, { sort: { runAt: 1 }, returnDocument: 'after' }).lean<JobDocument>();
    if (!job) continue; // another claimer took it first
    await jobTurnModel(connection).updateOne({ portalId }, { $max: { servedAt: now } }, { upsert: true });
    return job;
  }
  // Two plain claims rather than one $or: the embedded engine cannot plan an $or with a sort.
  return jobModel(connection)
    .findOneAndUpdate({ ...typeFilter, status: 'running', leaseUntil: { $lte: now } }, take, { sort: { leaseUntil: 1 }, returnDocument: 'after' })
    .lean<JobDocument>();
}

/** The portals with due jobs, in the order they should be served. */
async function portalsInTurn(connection: Connection, due: Record<string, unknown>, now: Date): Promise<number[]> {
  const jobs = jobModel(connection);
  const waiting = await jobs.aggregate<{ _id: number; oldest: Date }>([{ $match: due }, { $group: { _id: '$portalId', oldest: { $min: '$runAt' } } }]);
  if (waiting.length === 0) return [];
  const portalIds = waiting.map((w) => w._id);
  const busy = new Set<number>(await jobs.distinct('portalId', { status: 'running', portalId: { $in: portalIds }, leaseUntil: { $gt: now } }));
  const servedAt = new Map((await jobTurnModel(connection).find({ portalId: { $in: portalIds } }).lean()).map((t) => [t.portalId, t.servedAt.getTime()]));
  const rank = (w: { _id: number; oldest: Date }) => [busy.has(w._id) ? 1 : 0, servedAt.get(w._id) ?? 0, w.oldest.getTime()];
  return waiting
    .map((w) => ({ portalId: w._id, rank: rank(w) }))
    .sort((a, b) => a.rank[0] - b.rank[0] || a.rank[1] - b.rank[1] || a.rank[2] - b.rank[2])
    .map((w) => w.portalId);
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
