/**
 * Whether a newly trained model replaces the portal's current one: only when it is at least as good
 * on the same recent holdout (AUC), and always with a reason a person can read. Pure.
 */
export interface PromotionInput {
  candidate: { kind: 'rules' | 'learned'; auc: number };
  current: { kind: 'rules' | 'learned'; version: string; auc: number } | undefined;
}

export interface PromotionDecision {
  promoted: boolean;
  reason: string;
}

const fmt = (auc: number) => (Number.isNaN(auc) ? 'n/a' : auc.toFixed(4));

export function decidePromotion({ candidate, current }: PromotionInput): PromotionDecision {
  if (!current) return { promoted: true, reason: `first ${candidate.kind === 'rules' ? 'rule' : 'learned'} model for this portal (holdout AUC ${fmt(candidate.auc)})` };
  if (candidate.kind === 'rules' && current.kind === 'learned') {
    return { promoted: false, reason: `too few outcomes to train; the learned model ${current.version} stays` };
  }
  if (candidate.kind === 'rules') return { promoted: false, reason: 'the rule model is already current' };
  if (Number.isNaN(candidate.auc)) return { promoted: false, reason: 'the holdout has only one outcome class, so the new model cannot be shown to be at least as good' };
  if (Number.isNaN(current.auc) || candidate.auc >= current.auc) {
    return { promoted: true, reason: `holdout AUC ${fmt(candidate.auc)} is at least ${current.version}'s ${fmt(current.auc)} on the same rows` };
  }
  return { promoted: false, reason: `holdout AUC ${fmt(candidate.auc)} is below ${current.version}'s ${fmt(current.auc)} on the same rows` };
}
