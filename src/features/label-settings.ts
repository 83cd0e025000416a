/**
 * What counts as a conversion and as churn, per portal (defaults follow HubSpot's "likelihood to
 * close": becoming a customer within 90 days).
 */
import { z } from 'zod';

export const labelSettingsSchema = z
  .object({
    horizonDays: z.number().int().min(7).max(365),
    lead: z.discriminatedUnion('kind', [
      z.object({ kind: z.literal('lifecycle'), stage: z.enum(['marketingqualifiedlead', 'salesqualifiedlead', 'opportunity', 'customer']) }).strict(),
      z.object({ kind: z.literal('closed-won-deal') }).strict(),
    ]),
    churn: z.object({ kind: z.enum(['leaves-customer', 'no-new-won-deal']) }).strict(),
    /** Below this many positive examples the portal is scored by the rule model. */
    minPositives: z.number().int().min(10).max(10_000),
  })
  .strict();

export type LabelSettings = z.infer<typeof labelSettingsSchema>;
export type Target = 'lead' | 'churn';

export const defaultLabelSettings: LabelSettings = {
  horizonDays: 90,
  lead: { kind: 'lifecycle', stage: 'customer' },
  churn: { kind: 'leaves-customer' },
  minPositives: 50,
};

export const DAY_MS = 86_400_000;
