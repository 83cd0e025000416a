/** The data cannot be trained on (one class, mismatched lengths, too few rows): a caller's input problem. */
export class TrainingDataError extends Error {
  override name = 'TrainingDataError';
}
