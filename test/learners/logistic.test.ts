import assert from 'node:assert/strict';
import { test } from 'node:test';
import { predictLogisticRaw } from '../../src/learners/logistic/predict-logistic.ts';
import { trainLogistic } from './learners.ts';
import { table } from './fixtures.ts';

// Known answer from scikit-learn 1.2 (median imputer + StandardScaler + OneHotEncoder +
// LogisticRegression(C=1, solver='newton-cholesky', tol=1e-15)) on the same twelve rows. (Its
// default lbfgs stops ~1e-6 short of the optimum; both Newton fits agree to ~1e-16.)
const known = table(
  { x: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12], z: [3, 1, NaN, 1, 5, 9, 2, 6, 5, 3, 5, 8] },
  { c: ['a', 'b', 'a', 'c', 'b', 'a', 'c', 'b', 'a', 'b', 'c', null] },
);
const knownLabels = [0, 0, 1, 0, 1, 0, 1, 1, 1, 1, 0, 1];

test('known answer: the same coefficients and scores as scikit-learn LogisticRegression(C=1)', () => {
  const model = trainLogistic(known, knownLabels, { minLevelRows: 1 });
  const close = (a: number, b: number) => assert.ok(Math.abs(a - b) < 1e-12, `${a} vs ${b}`);
  close(model.intercept, 0.38345383172876846);
  close(model.numeric[0].coefficient, 0.6540810034604836);
  close(model.numeric[1].coefficient, 0.07098065533589779);
  const level = (name: string) => model.categorical[0].coefficients[model.categorical[0].levels.indexOf(name)];
  close(level('NA'), 0.1562442117417952);
  close(level('a'), -0.03980343881773926);
  close(level('b'), 0.37812445837018327);
  close(level('c'), -0.49456523129423924);
  const raw = predictLogisticRaw(model, known);
  [-0.7398315991431988, -0.190824184057665, -0.3024832053583767, -0.6845619326004652].forEach((s, i) => close(raw[i], s));
  assert.equal(model.numeric[1].fill, 5, 'missing values are filled with the median');
});

test('rare levels share one coefficient; levels first seen when scoring count as rare; missing is its own level', () => {
  const levels = Array.from({ length: 200 }, (_, i) => (i < 90 ? 'common' : i < 180 ? 'usual' : `rare${i}`));
  const labels = levels.map((_, i) => (i % 3 === 0 ? 1 : 0));
  const model = trainLogistic(table({ n: levels.map((_, i) => i % 7) }, { c: levels }), labels);
  const c = model.categorical[0];
  assert.deepEqual([...c.levels].sort(), ['common', 'usual']);
  assert.notEqual(c.rareCoefficient, null);
  const raw = predictLogisticRaw(model, table({ n: [1, 1, 1] }, { c: ['rare185', 'never-seen', 'common'] }));
  assert.equal(raw[0], raw[1]);
  assert.notEqual(raw[0], raw[2]);
});

test('a constant column gets scale 1 and does not break the fit', () => {
  const model = trainLogistic(table({ k: new Array(40).fill(3), x: Array.from({ length: 40 }, (_, i) => i) }), Array.from({ length: 40 }, (_, i) => (i > 20 ? 1 : 0)));
  assert.equal(model.numeric[0].scale, 1);
  assert.ok(Math.abs(model.numeric[0].coefficient) < 1e-9);
  assert.ok(model.numeric[1].coefficient > 1);
});
