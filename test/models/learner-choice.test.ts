/**
 * On a real purchase history (CDNOW), the learner the app chooses for a portal's churn model is the
 * one that scores the customers better months later, when the scores are used: trees win a month
 * ahead there but lose four months ahead, once customers have been customers longer than any
 * training row. Pure core only (history in memory, no sandbox): the whole-app backtest of the same
 * history is `propensity backtest --history cdnow`.
 */
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { customersAsOf } from '../../src/backtest/customers-as-of.ts';
import { planPurchasePortal } from '../../src/backtest/plan-purchase-portal.ts';
import { readPurchaseHistory } from '../../src/backtest/read-purchase-history.ts';
import type { ImportedRecord } from '../../src/sandbox/history/import-records.ts';
import { buildScoringTable } from '../../src/features/build-features.ts';
import { RecordHistory } from '../../src/features/crm-history.ts';
import { defaultLabelSettings, type LabelSettings } from '../../src/features/label-settings.ts';
import { rocAuc, train } from '../../src/learners/index.ts';
import { scoreProbabilities, type ScoringModel } from '../../src/models/scoring-model.ts';
import { trainTarget } from '../../src/models/train-target.ts';
import { splitRows } from '../../src/tabular/index.ts';
import { projectRoot } from '../../src/install/app-definition.ts';

const cdnow = path.resolve(projectRoot, '../shared/datasets/cdnow-transactions/CDNOW_master.txt');
const AS_OF = '1997-09-30';

/** A record as the sync stores it: every value in its history at the time it was set. */
function recordHistory(objectId: string, record: ImportedRecord): RecordHistory {
  const entries = new Map<string, { value: string; at: Date }[]>();
  const set = (values: Record<string, string>, at: number) => {
    for (const [name, value] of Object.entries(values)) entries.set(name, [{ value, at: new Date(at) }, ...(entries.get(name) ?? [])]);
  };
  set({ ...record.values, createdate: new Date(record.createdAt).toISOString() }, record.createdAt);
  for (const change of record.changes ?? []) set(change.values, change.at);
  return new RecordHistory({
    objectId,
    properties: [...entries].map(([name, list]) => ({ name, value: list[0].value })),
    history: [...entries].map(([name, list]) => ({ name, entries: list })),
    createdAt: new Date(record.createdAt),
  });
}

test('CDNOW churn: the app keeps the learner that scores the customers better at the as-of day', { skip: !existsSync(cdnow) && 'the shared CDNOW data set is not here' }, async () => {
  const purchases = readPurchaseHistory(cdnow, 'cdnow');
  const now = Date.UTC(2026, 10, 23, 12);
  const plan = planPurchasePortal(purchases, AS_OF, now);
  const records = plan.contacts.map((c, i) => recordHistory(String(i), c));
  const dealsByRecord = new Map<string, RecordHistory[]>();
  plan.deals.forEach(({ contact, ...deal }, j) => dealsByRecord.set(String(contact), [...(dealsByRecord.get(String(contact)) ?? []), recordHistory(`deal-${j}`, deal)]));
  const history = { records, companies: new Map(), companyList: [], dealsByRecord, earliest: Math.min(...records.map((r) => r.createdAt)) };
  const settings: LabelSettings = { ...defaultLabelSettings, churn: { kind: 'no-new-won-deal' } };

  const chosen = await trainTarget({ history, target: 'churn', settings, now, trainer: async (input) => train(input) });
  assert.equal(chosen.model.kind, 'learned');
  if (chosen.model.kind !== 'learned' || chosen.model.model.kind !== 'calibrated') return;
  const kind = chosen.model.model.model.kind;
  const other = kind === 'gbdt' ? 'logistic' : 'gbdt';

  // The other learner, trained on exactly the same rows (every training snapshot, as the chosen one is refitted).
  const alternative = await trainTarget({ history, target: 'churn', settings, now, trainer: async (input) => train({ ...input, options: { ...input.options, model: other } }) });

  // Scored at the as-of day against what the test customers really did in the next 90 days.
  const customers = customersAsOf(purchases, AS_OF, 90);
  const test = Array.from(splitRows(customers.length, 'mod5').test);
  const labels = test.map((i) => customers[i].churned);
  const aucOf = (model: ScoringModel) => {
    const table = buildScoringTable(model.plan, history, 'churn', settings, now);
    const p = scoreProbabilities(model, table);
    const byId = new Map(table.recordIds.map((id, i) => [id, p[i]]));
    return rocAuc(test.map((i) => byId.get(String(i))!), labels);
  };
  const [chosenAuc, otherAuc] = [aucOf(chosen.model), aucOf(alternative.model)];
  assert.ok(chosenAuc >= otherAuc, `kept ${kind} (AUC ${chosenAuc.toFixed(4)}) over ${other} (AUC ${otherAuc.toFixed(4)})`);
});
