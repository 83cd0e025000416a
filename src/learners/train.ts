/**
 * `train`: one call for every learner. `model: 'auto'` (the default) trains the trees and the
 * linear model, keeps the better one on held-out rows and calibrates it; 'gbdt' and 'logistic'
 * train that learner alone (probabilities are then the sigmoid of its raw score).
 */
import { trainAuto, trainLearner, type AutoOptions } from './auto.ts';
import type { GbdtOptions } from './gbdt/train-gbdt.ts';
import type { LogisticOptions } from './logistic/train-logistic.ts';
import type { Model } from './model.ts';
import type { Table } from './table.ts';

export type LearnerChoice = 'auto' | 'gbdt' | 'logistic';

export interface TrainOptions {
  model?: LearnerChoice;
  gbdt?: Partial<GbdtOptions>;
  logistic?: Partial<LogisticOptions>;
  auto?: Partial<Omit<AutoOptions, 'gbdt' | 'logistic' | 'seed'>>;
  seed?: number;
}

export interface TrainInput {
  table: Table;
  /** 1 for the positive class, 0 otherwise, one per row. */
  labels: ArrayLike<number>;
  options?: TrainOptions;
}

export function train({ table, labels, options = {} }: TrainInput): Model {
  const seed = options.seed ?? 0;
  const choice = options.model ?? 'auto';
  if (choice === 'auto') return trainAuto(table, labels, { ...options.auto, gbdt: options.gbdt ?? {}, logistic: options.logistic ?? {}, seed });
  if (choice === 'gbdt' || choice === 'logistic') return trainLearner(choice, table, labels, { gbdt: options.gbdt, logistic: options.logistic, seed });
  throw new Error(`unknown model "${choice}" (auto, gbdt or logistic)`);
}
