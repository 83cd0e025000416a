import assert from 'node:assert/strict';
import { test } from 'node:test';
import { defaultDecisionSettings } from '../../src/decisions/decision-settings.ts';
import { recommendations, type MeasuredBand } from '../../src/uplift/index.ts';

const settings = defaultDecisionSettings; // nurture from 0.15, sales from 0.50
const band = (from: number, enrolled: [number, number], control: [number, number], enrolment: MeasuredBand['enrolment'] = 'marketing_nurture'): MeasuredBand =>
  ({ enrolment, from, to: from + 0.05, enrolled: { n: enrolled[0], hits: enrolled[1] }, control: { n: control[0], hits: control[1] } });

test('a nurture track that does worse than no action at the bottom of its range: stop enrolling those records, with the evidence and the threshold to apply', () => {
  const bands = [
    band(0.15, [900, 27], [400, 24]), // 3 % vs 6 %
    band(0.2, [800, 40], [300, 21]), // 5 % vs 7 %
    band(0.25, [700, 70], [300, 15]), // 10 % vs 5 %: helps
    band(0.3, [600, 90], [200, 14]),
  ];
  const [r, ...rest] = recommendations({ settings, bands });
  assert.equal(rest.length, 0);
  assert.equal(r.apply?.marketingNurture, 0.25);
  assert.deepEqual([r.evidence.enrolled, r.evidence.control], [{ n: 1700, hits: 67 }, { n: 700, hits: 45 }]);
  assert.ok(r.evidence.result.high < 0);
  assert.equal(r.text, `the nurture track converts ${(100 * (45 / 700 - 67 / 1700)).toFixed(1)} points less than no action for records below 25 % — stop enrolling them`);
  assert.equal(r.id, 'stop-marketing_nurture-below-25');
});

test('no recommendation when the harm is not clear, the groups are small, or the move would pass the sales threshold', () => {
  assert.deepEqual(recommendations({ settings, bands: [band(0.15, [200, 8], [50, 4])] }), [], 'leans negative, interval includes 0');
  assert.deepEqual(recommendations({ settings, bands: [band(0.15, [900, 0], [20, 10])] }), [], 'fewer than 30 control records');
  assert.deepEqual(recommendations({ settings, bands: [band(0.15, [900, 100], [400, 60]), band(0.2, [900, 100], [400, 20])] }), [], 'the bottom band helps; pooled it is not harmful');
  const high = [0.15, 0.2, 0.25, 0.3, 0.35, 0.4, 0.45].map((f) => band(f, [900, 27], [400, 40]));
  assert.deepEqual(recommendations({ settings, bands: high }), [], 'raising nurture to 0.50 meets the sales threshold');
});

test('the retention playbook harms when more enrolled customers leave than control ones; the fast track by its own threshold', () => {
  const r = recommendations({ settings, bands: [band(0.4, [500, 150], [200, 30], 'retention_playbook'), band(0.5, [500, 60], [200, 30], 'sales_fast_track')] });
  assert.equal(r.length, 1);
  assert.equal(r[0].apply?.retentionPlaybook, 0.45);
  assert.match(r[0].text, /^the retention playbook loses 15\.0 points more customers than no action for records below 45 %/);
});
