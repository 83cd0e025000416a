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
};
