import assert from 'node:assert/strict';
import { test } from 'node:test';
import { trainGbdt } from '../../src/learners/gbdt/train-gbdt.ts';
import { modelToJson, modelVersion, parseModel, predict, train, trainLogistic } from './learners.ts';
import { leads } from './fixtures.ts';

test('every kind of model survives JSON and scores bit for bit the same, missing values and unseen levels included', () => {
  const { table, labels } = leads(4000);
  const probe = leads(2000, 7).table;
  probe.categorical[0] = probe.categorical[0].map((v, i) => (i % 5 === 0 ? 'brand-new' : v));
  probe.numeric[0] = probe.numeric[0].map((v, i) => (i % 11 === 0 ? NaN : v));
  for (const model of [trainGbdt(table, labels, { maxIterations: 40 }), trainLogistic(table, labels), train({ table, labels })]) {
    const text = modelToJson(model);
    const back = parseModel(text);
    assert.equal(modelToJson(back), text);
    const a = predict(model, probe);
    const b = predict(back, probe);
    for (let i = 0; i < a.length; i++) assert.ok(Object.is(a[i], b[i]), `${model.kind} row ${i}`);
  }
});

test('models carry a format and a version; other versions and broken models are refused with a reason', () => {
  const { table, labels } = leads(500);
  const model = JSON.parse(modelToJson(trainGbdt(table, labels, { maxIterations: 3 })));
  assert.equal(model.version, modelVersion);
  assert.throws(() => parseModel({ ...model, version: modelVersion + 1 }), /model version 2 is not the version this code reads \(1\)/);
  assert.throws(() => parseModel({ hello: 'world' }), /not a propensity-model/);
  const broken = structuredClone(model);
  broken.trees[0].left[0] = 99;
  assert.throws(() => parseModel(broken), /children out of range/);
  const nan = modelToJson(model).replace(/"baseScore":[^,]+/, '"baseScore":null');
  assert.throws(() => parseModel(nan), /baseScore/);
  assert.throws(() => parseModel('{"format":'), SyntaxError);
});
