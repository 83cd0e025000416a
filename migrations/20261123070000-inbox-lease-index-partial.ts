import type { mongo } from 'mongoose';

type Db = mongo.Db;

/**
 * Webhook intake writes 100 inbox events a request, hundreds of requests a second: every index is
 * paid for on each insert. Expired leases are only ever looked for among events being processed,
 * so their index holds just those: an insert (always `pending`) no longer touches it.
 */
export async function up(db: Db): Promise<void> {
  const inbox = db.collection('webhook_inbox');
  const existing = (await inbox.indexes()).find((index) => index.name === 'expired_leases');
  if (existing && !existing.partialFilterExpression) await inbox.dropIndex('expired_leases');
  await inbox.createIndex({ status: 1, leaseUntil: 1 }, { name: 'expired_leases', partialFilterExpression: { status: 'processing' } });
}

export async function down(db: Db): Promise<void> {
  const inbox = db.collection('webhook_inbox');
  await inbox.dropIndex('expired_leases').catch(() => {});
  await inbox.createIndex({ status: 1, leaseUntil: 1 }, { name: 'expired_leases' });
}
