/**
 * The properties Propensity writes into HubSpot, as HubSpot property definitions. They are never
 * inputs to a model and never subscribed to as webhooks (that would feed the app's writes back).
 */
export const OUTPUT_PROPERTY_PREFIX = 'propensity_';
export const OUTPUT_GROUP = { name: 'propensity_ai', label: 'Propensity AI', displayOrder: -1 };

export interface OutputPropertyDefinition {
  name: string;
  label: string;
  description: string;
  type: 'number' | 'enumeration' | 'string' | 'datetime';
  fieldType: 'number' | 'select' | 'textarea' | 'text' | 'date';
  /** `hidden` (required by HubSpot) defaults to false when the definition is sent. */
  options?: { label: string; value: string; displayOrder: number; hidden?: boolean }[];
}

const tierOptions = (noun: string) => [
  { label: `A – ${noun === 'lead' ? 'hot' : 'high risk'}`, value: 'A', displayOrder: 0 },
  { label: `B – ${noun === 'lead' ? 'warm' : 'elevated risk'}`, value: 'B', displayOrder: 1 },
  { label: `C – ${noun === 'lead' ? 'cool' : 'some risk'}`, value: 'C', displayOrder: 2 },
  { label: `D – ${noun === 'lead' ? 'cold' : 'low risk'}`, value: 'D', displayOrder: 3 },
];

export const outputProperties: OutputPropertyDefinition[] = [
  { name: 'propensity_lead_score', label: 'Propensity lead score', type: 'number', fieldType: 'number',
    description: 'How likely this record is to become a customer within the horizon, 0–100, learned by Propensity from your own CRM history.' },
  { name: 'propensity_lead_tier', label: 'Propensity lead tier', type: 'enumeration', fieldType: 'select', options: tierOptions('lead'),
    description: 'The lead score in four tiers: A are the hottest leads, D the coldest.' },
  { name: 'propensity_conversion_probability', label: 'Propensity conversion probability', type: 'number', fieldType: 'number',
    description: 'The calibrated probability (0–1) of becoming a customer within the horizon: 0.30 means 3 in 10 such records convert.' },
  { name: 'propensity_lead_reasons', label: 'Propensity lead reasons', type: 'string', fieldType: 'textarea',
    description: 'The factors that raise or lower this lead score most, in words.' },
  { name: 'propensity_churn_risk', label: 'Propensity churn risk', type: 'number', fieldType: 'number',
    description: 'How likely this customer is to leave within the horizon, 0–100.' },
  { name: 'propensity_churn_tier', label: 'Propensity churn tier', type: 'enumeration', fieldType: 'select', options: tierOptions('churn'),
    description: 'The churn risk in four tiers: A are the customers most at risk.' },
  { name: 'propensity_churn_reasons', label: 'Propensity churn reasons', type: 'string', fieldType: 'textarea',
    description: 'The factors that raise or lower this churn risk most, in words.' },
  { name: 'propensity_enrolment', label: 'Propensity enrolment', type: 'enumeration', fieldType: 'select',
    options: [
      { label: 'Sales fast track', value: 'sales_fast_track', displayOrder: 0 },
      { label: 'Marketing nurture', value: 'marketing_nurture', displayOrder: 1 },
      { label: 'Retention playbook', value: 'retention_playbook', displayOrder: 2 },
      { label: 'None', value: 'none', displayOrder: 3 },
    ],
    description: 'What Propensity recommends doing with this record. Use it as a workflow enrolment trigger.' },
  { name: 'propensity_enrolment_reason', label: 'Propensity enrolment reason', type: 'string', fieldType: 'textarea',
    description: 'Why Propensity chose this enrolment (including "control group" for records held out to measure the uplift).' },
  { name: 'propensity_scored_at', label: 'Propensity scored at', type: 'datetime', fieldType: 'date',
    description: 'When Propensity last scored this record.' },
  { name: 'propensity_model_version', label: 'Propensity model version', type: 'string', fieldType: 'text',
    description: 'Which model produced the score: a learned model version, or the rule model while there is too little history.' },
];

export const outputPropertyNames = outputProperties.map((p) => p.name);

/** Contacts and companies get every property; deals none (they are the outcome, not the prospect). */
export const outputObjectTypes = ['contacts', 'companies'] as const;
export type OutputObjectType = (typeof outputObjectTypes)[number];

export function isOutputProperty(name: string): boolean {
  return name.startsWith(OUTPUT_PROPERTY_PREFIX);
}
