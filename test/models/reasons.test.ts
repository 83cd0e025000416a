import assert from 'node:assert/strict';
import { test } from 'node:test';
import { describeContribution, reasonsText } from '../../src/models/reasons.ts';

test('factors read in a sales rep\'s words', () => {
  assert.equal(describeContribution({ feature: 'hs_analytics_num_page_views (last 30 days)', value: 14, effect: 0.8 }), 'Page views (last 30 days): 14 (raises the score)');
  assert.equal(describeContribution({ feature: 'hs_email_last_open_date (days ago)', value: 45.2, effect: -0.4 }), 'Last email opened: 1–3 months ago (lowers the score)');
  assert.equal(describeContribution({ feature: 'company numberofemployees', value: 1200, effect: 0.2 }), 'Company employees: 1,200 (raises the score)');
  assert.equal(describeContribution({ feature: 'hs_analytics_source', value: 'ORGANIC_SEARCH', effect: 0.1 }), 'Original source: ORGANIC_SEARCH (raises the score)');
  assert.equal(describeContribution({ feature: 'hs_email_open (days since last change)', value: 3.4, effect: 0.3 }), 'Marketing emails opened last changed less than a week ago (raises the score)');
  assert.equal(describeContribution({ feature: 'plan_tier_custom', value: null, effect: -0.1 }), 'Plan tier custom: unknown (lowers the score)');
});

test('the strongest factors come first, both directions, zero effects left out', () => {
  const text = reasonsText([
    { feature: 'a', value: 1, effect: 0.1 },
    { feature: 'b', value: 2, effect: -0.9 },
    { feature: 'c', value: 3, effect: 0.5 },
    { feature: 'd', value: 4, effect: 0 },
  ], 3);
  assert.equal(text, 'B: 2 (lowers the score); C: 3 (raises the score); A: 1 (raises the score)');
});
