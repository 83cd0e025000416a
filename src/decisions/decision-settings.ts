/**
 * A portal's decision policy: thresholds on the lead and churn probabilities, the hysteresis band
 * that stops a record near a threshold from flapping, and the control group's share. Defaults fit a
 * typical B2B funnel; admins change them on the portal's page (validated here, nothing saved if not).
 */
import { z } from 'zod';

const probability = z.number().min(0).max(1);

export const decisionSettingsSchema = z
  .object({
    /** Lead probability at or above which a lead goes to sales. */
    salesFastTrack: probability,
    /** Lead probability at or above which a lead is nurtured by marketing. */
    marketingNurture: probability,
    /** Churn probability at or above which a customer gets the retention playbook. */
    retentionPlaybook: probability,
    /** A record keeps its decision until its probability leaves the threshold by this much. */
    hysteresis: z.number().min(0).max(0.2),
    /** Share of qualifying records held out (no enrolment) to measure the uplift. */
    controlShare: z.number().min(0).max(0.5),
    // --- targeting by uplift (issue 22) ---
    /** Enrol by predicted gain × value against the action's cost instead of by probability thresholds (needs the enrolment's uplift model). */
    targetByUplift: z.boolean(),
    /** What one outcome (a conversion, a customer kept) is worth, in the unit of the costs. */
    outcomeValue: z.number().positive().max(1e9),
    /** What enrolling one record in each action costs, in the same unit. */
    actionCosts: z.object({ sales_fast_track: z.number().min(0).max(1e9), marketing_nurture: z.number().min(0).max(1e9), retention_playbook: z.number().min(0).max(1e9) }).strict(),
  })
  .strict()
  .refine((s) => s.marketingNurture < s.salesFastTrack, {
    message: 'the marketing nurture threshold must be below the sales fast-track threshold',
    path: ['marketingNurture'],
  });

export type DecisionSettings = z.infer<typeof decisionSettingsSchema>;

export const defaultDecisionSettings: DecisionSettings = {
  salesFastTrack: 0.5,
  marketingNurture: 0.15,
  retentionPlaybook: 0.4,
  hysteresis: 0.03,
  controlShare: 0.1,
  // --- targeting by uplift (issue 22) ---
  targetByUplift: false,
  outcomeValue: 1000,
  actionCosts: { sales_fast_track: 40, marketing_nurture: 5, retention_playbook: 30 },
};
