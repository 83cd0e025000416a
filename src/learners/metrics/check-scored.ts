/** Checks shared by the metrics: same length, no NaN, 0/1 labels, and both classes when needed. */
export function checkScored(scores: ArrayLike<number>, labels: ArrayLike<number>, needs: { bothClasses?: boolean; probabilities?: boolean } = {}): void {
  if (scores.length !== labels.length) throw new Error(`${scores.length} scores for ${labels.length} labels`);
  if (scores.length === 0) throw new Error('no scores');
  let positives = 0;
  for (let i = 0; i < scores.length; i++) {
    const s = scores[i];
    if (Number.isNaN(s)) throw new Error(`score ${i} is NaN`);
    if (needs.probabilities && (s < 0 || s > 1)) throw new Error(`score ${i} is ${s}, not a probability`);
    if (labels[i] !== 0 && labels[i] !== 1) throw new Error(`label ${i} is ${labels[i]}; labels must be 0 or 1`);
    positives += labels[i];
  }
  if (needs.bothClasses && (positives === 0 || positives === labels.length)) throw new Error('AUC needs both positive and negative labels');
}
