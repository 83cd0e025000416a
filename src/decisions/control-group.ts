/**
 * Whether a record is held out as control: a stable hash of the record, so its group never changes
 * between runs, and a uniform one, so the held-out share matches the setting.
 */
import { createHash } from 'node:crypto';

/** A number in [0, 1) fixed for the record. @example controlDraw('123:contacts:51') === controlDraw('123:contacts:51') */
export function controlDraw(recordKey: string): number {
  const digest = createHash('sha256').update(`propensity-control:${recordKey}`).digest();
  return digest.readUIntBE(0, 6) / 2 ** 48;
}

export function isInControlGroup(recordKey: string, controlShare: number): boolean {
  return controlDraw(recordKey) < controlShare;
}
