import assert from 'node:assert/strict';
import { test } from 'node:test';
import { FeatureTableBuilder } from '../../src/features/feature-table.ts';
import { buildRuleModel, scoreWithRules } from '../../src/models/rule-model.ts';

test('the rule model rewards engagement, uses only the features the portal has, and explains every point', () => {
  const names = ['hs_analytics_num_page_views (last 30 days)', 'num_conversion_events (last 90 days)', 'some_custom_number'];
  const builder = new FeatureTableBuilder(names, []);
  builder.add('engaged', 0, [20, 2, 1], []);
  builder.add('quiet', 0, [0, 0, 1], []);
  builder.add('unknown', 0, [Number.NaN, Number.NaN, Number.NaN], []);
  const table = builder.build();
  const model = buildRuleModel('lead', table.numericNames);
  assert.ok(model.rules.every((r) => names.includes(r.feature)));
  const engaged = scoreWithRules(model, table, 0);
  const quiet = scoreWithRules(model, table, 1);
  const unknown = scoreWithRules(model, table, 2);
  assert.ok(engaged.probability > quiet.probability);
  assert.equal(quiet.probability, unknown.probability);
  assert.equal(engaged.contributions.length, 3);
  assert.equal(quiet.contributions.length, 0);
  assert.ok(engaged.probability > 0 && engaged.probability < 1);
});

test('churn rules: a silent customer is at higher risk than an active one', () => {
  const names = ['hs_analytics_num_page_views (last 30 days)', 'days since last won deal', 'open deals'];
  const builder = new FeatureTableBuilder(names, []);
  builder.add('silent', 0, [0, 400, 0], []);
  builder.add('active', 0, [12, 30, 1], []);
  const table = builder.build();
  const model = buildRuleModel('churn', table.numericNames);
  assert.ok(scoreWithRules(model, table, 0).probability > scoreWithRules(model, table, 1).probability);
});
