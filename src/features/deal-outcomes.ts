/** When deals were won and lost, read from their stage history. */
import type { RecordHistory } from './crm-history.ts';

const WON = new Set(['closedwon']);
const LOST = new Set(['closedlost']);

function stageChanges(deal: RecordHistory, stages: Set<string>, from: number, to: number): number[] {
  const fromStage = deal.changesBetween('dealstage', from, to).filter((c) => c.value !== undefined && stages.has(c.value)).map((c) => c.at);
  const flag = stages === WON ? deal.changesBetween('hs_is_closed_won', from, to).filter((c) => c.value === 'true').map((c) => c.at) : [];
  return [...fromStage, ...flag];
}

export function wonBetween(deal: RecordHistory, from: number, to: number): number[] {
  return stageChanges(deal, WON, from, to);
}

export function lostBetween(deal: RecordHistory, from: number, to: number): number[] {
  return stageChanges(deal, LOST, from, to);
}

/** A renewal (existing business) deal lost in (from, to]. */
export function renewalLostBetween(deal: RecordHistory, from: number, to: number): boolean {
  const type = deal.valueAt('dealtype', to);
  return type === 'existingbusiness' && lostBetween(deal, from, to).length > 0;
}
