/** The learners' public API, as the tests use it. */
export * from '../../src/learners/index.ts';
export { trainLogistic } from '../../src/learners/logistic/train-logistic.ts';
