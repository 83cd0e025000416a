/**
 * The HubSpot-defined property groups and properties a new portal has for contacts, companies and
 * deals (the ones this app and its generator use, with their real names, types, field types,
 * groups and options), in the shape `GET /crm/v3/properties/{objectType}` answers.
 */
import type { PropertyGroup, SandboxObjectType } from './sandbox-store.ts';

export type PropertyType = 'string' | 'number' | 'enumeration' | 'datetime' | 'date' | 'bool';

export interface PropertyOption {
  label: string;
  value: string;
  displayOrder: number;
  hidden: boolean;
  description?: string;
}

export interface SandboxProperty {
  name: string;
  label: string;
  type: PropertyType;
  fieldType: string;
  groupName: string;
  description: string;
  options: PropertyOption[];
  displayOrder: number;
  calculated: boolean;
  externalOptions: boolean;
  hasUniqueValue: boolean;
  hidden: boolean;
  hubspotDefined: boolean;
  formField: boolean;
  modificationMetadata: { archivable: boolean; readOnlyDefinition: boolean; readOnlyValue: boolean };
  createdAt: string;
  updatedAt: string;
  archived?: boolean;
}

/** Valid `type` / `fieldType` pairs for properties created through the API. */
export const fieldTypesByType: Record<PropertyType, string[]> = {
  string: ['text', 'textarea', 'html', 'phonenumber', 'file'],
  number: ['number'],
  enumeration: ['select', 'radio', 'checkbox', 'booleancheckbox'],
  datetime: ['date'],
  date: ['date'],
  bool: ['booleancheckbox'],
};

export const lifecycleStages = ['subscriber', 'lead', 'marketingqualifiedlead', 'salesqualifiedlead', 'opportunity', 'customer', 'evangelist', 'other'] as const;
export type LifecycleStage = (typeof lifecycleStages)[number];
export const dealStages = ['appointmentscheduled', 'qualifiedtobuy', 'presentationscheduled', 'decisionmakerboughtin', 'contractsent', 'closedwon', 'closedlost'] as const;
/** HubSpot's default sales pipeline: the win probability of each stage. */
export const dealStageProbability: Record<string, number> = {
  appointmentscheduled: 0.2, qualifiedtobuy: 0.4, presentationscheduled: 0.6, decisionmakerboughtin: 0.8, contractsent: 0.9, closedwon: 1, closedlost: 0,
};
export const analyticsSources = ['ORGANIC_SEARCH', 'PAID_SEARCH', 'EMAIL_MARKETING', 'SOCIAL_MEDIA', 'REFERRALS', 'OTHER_CAMPAIGNS', 'DIRECT_TRAFFIC', 'OFFLINE', 'PAID_SOCIAL', 'AI_REFERRALS'];
export const industries = [
  'COMPUTER_SOFTWARE', 'INFORMATION_TECHNOLOGY_AND_SERVICES', 'INTERNET', 'FINANCIAL_SERVICES', 'INSURANCE', 'HOSPITAL_HEALTH_CARE',
  'RETAIL', 'MARKETING_AND_ADVERTISING', 'MECHANICAL_OR_INDUSTRIAL_ENGINEERING', 'EDUCATION_MANAGEMENT', 'CONSTRUCTION',
  'REAL_ESTATE', 'TELECOMMUNICATIONS', 'LOGISTICS_AND_SUPPLY_CHAIN', 'MANAGEMENT_CONSULTING', 'NONPROFIT_ORGANIZATION_MANAGEMENT',
];
const leadStatuses = ['NEW', 'OPEN', 'IN_PROGRESS', 'OPEN_DEAL', 'UNQUALIFIED', 'ATTEMPTED_TO_CONTACT', 'CONNECTED', 'BAD_TIMING'];
const companyTypes = ['PROSPECT', 'PARTNER', 'RESELLER', 'VENDOR', 'OTHER'];

const labels: Record<string, string> = {
  subscriber: 'Subscriber', lead: 'Lead', marketingqualifiedlead: 'Marketing Qualified Lead', salesqualifiedlead: 'Sales Qualified Lead',
  opportunity: 'Opportunity', customer: 'Customer', evangelist: 'Evangelist', other: 'Other',
  appointmentscheduled: 'Appointment Scheduled', qualifiedtobuy: 'Qualified To Buy', presentationscheduled: 'Presentation Scheduled',
  decisionmakerboughtin: 'Decision Maker Bought-In', contractsent: 'Contract Sent', closedwon: 'Closed Won', closedlost: 'Closed Lost',
  newbusiness: 'New Business', existingbusiness: 'Existing Business', default: 'Sales Pipeline', true: 'Yes', false: 'No',
};

const definedAt = '2019-08-06T02:41:09.072Z';

function titleCase(value: string): string {
  return labels[value] ?? value.toLowerCase().split('_').map((w) => w.charAt(0).toUpperCase() + w.slice(1)).join(' ');
}

function options(values: readonly string[]): PropertyOption[] {
  return values.map((value, displayOrder) => ({ label: titleCase(value), value, displayOrder, hidden: false }));
}

interface Definition {
  group: string;
  /** 'enum' is an enumeration with the given options; 'yesno' an enumeration booleancheckbox. */
  kind: 'text' | 'number' | 'datetime' | 'enum' | 'radio' | 'yesno' | 'bool';
  label?: string;
  values?: readonly string[];
  /** HubSpot computes it: the API refuses writes. */
  readOnly?: boolean;
}

const shapes: Record<Definition['kind'], { type: PropertyType; fieldType: string }> = {
  text: { type: 'string', fieldType: 'text' },
  number: { type: 'number', fieldType: 'number' },
  datetime: { type: 'datetime', fieldType: 'date' },
  enum: { type: 'enumeration', fieldType: 'select' },
  radio: { type: 'enumeration', fieldType: 'radio' },
  yesno: { type: 'enumeration', fieldType: 'booleancheckbox' },
  bool: { type: 'bool', fieldType: 'booleancheckbox' },
};

const common = (info: string): Record<string, Definition> => ({
  hs_object_id: { group: info, kind: 'number', label: 'Record ID', readOnly: true },
  createdate: { group: info, kind: 'datetime', label: 'Create Date', readOnly: true },
});

const lifecycleDates = Object.fromEntries(
  lifecycleStages.map((stage) => [`hs_lifecyclestage_${stage}_date`, { group: 'contactinformation', kind: 'datetime', label: `Became a ${titleCase(stage)} Date`, readOnly: true } satisfies Definition]),
);

const definitions: Record<SandboxObjectType, Record<string, Definition>> = {
  contacts: {
    ...common('contactinformation'),
    lastmodifieddate: { group: 'contactinformation', kind: 'datetime', label: 'Last Modified Date', readOnly: true },
    email: { group: 'contactinformation', kind: 'text', label: 'Email' },
    firstname: { group: 'contactinformation', kind: 'text', label: 'First Name' },
    lastname: { group: 'contactinformation', kind: 'text', label: 'Last Name' },
    jobtitle: { group: 'contactinformation', kind: 'text', label: 'Job Title' },
    company: { group: 'contactinformation', kind: 'text', label: 'Company Name' },
    phone: { group: 'contactinformation', kind: 'text', label: 'Phone Number' },
    country: { group: 'contactinformation', kind: 'text', label: 'Country/Region' },
    city: { group: 'contactinformation', kind: 'text', label: 'City' },
    industry: { group: 'contactinformation', kind: 'text', label: 'Industry' },
    website: { group: 'contactinformation', kind: 'text', label: 'Website URL' },
    lifecyclestage: { group: 'contactinformation', kind: 'radio', label: 'Lifecycle Stage', values: lifecycleStages },
    hs_lead_status: { group: 'sales_properties', kind: 'radio', label: 'Lead Status', values: leadStatuses },
    associatedcompanyid: { group: 'contactinformation', kind: 'number', label: 'Primary Associated Company ID' },
    num_associated_deals: { group: 'deal_information', kind: 'number', label: 'Number of Associated Deals', readOnly: true },
    ...lifecycleDates,
    hs_analytics_source: { group: 'analyticsinformation', kind: 'enum', label: 'Original Traffic Source', values: analyticsSources, readOnly: true },
    hs_analytics_source_data_1: { group: 'analyticsinformation', kind: 'text', label: 'Original Traffic Source Drill-Down 1', readOnly: true },
    hs_analytics_num_page_views: { group: 'analyticsinformation', kind: 'number', label: 'Number of Pageviews', readOnly: true },
    hs_analytics_num_visits: { group: 'analyticsinformation', kind: 'number', label: 'Number of Sessions', readOnly: true },
    hs_analytics_num_event_completions: { group: 'analyticsinformation', kind: 'number', label: 'Number of event completions', readOnly: true },
    hs_analytics_first_visit_timestamp: { group: 'analyticsinformation', kind: 'datetime', label: 'Time of First Session', readOnly: true },
    hs_analytics_last_visit_timestamp: { group: 'analyticsinformation', kind: 'datetime', label: 'Time of Last Session', readOnly: true },
    num_conversion_events: { group: 'conversioninformation', kind: 'number', label: 'Number of Form Submissions', readOnly: true },
    num_unique_conversion_events: { group: 'conversioninformation', kind: 'number', label: 'Number of Unique Forms Submitted', readOnly: true },
    first_conversion_date: { group: 'conversioninformation', kind: 'datetime', label: 'First Conversion Date', readOnly: true },
    recent_conversion_date: { group: 'conversioninformation', kind: 'datetime', label: 'Recent Conversion Date', readOnly: true },
    recent_conversion_event_name: { group: 'conversioninformation', kind: 'text', label: 'Recent Conversion', readOnly: true },
    hs_email_delivered: { group: 'emailinformation', kind: 'number', label: 'Marketing emails delivered', readOnly: true },
    hs_email_open: { group: 'emailinformation', kind: 'number', label: 'Marketing emails opened', readOnly: true },
    hs_email_click: { group: 'emailinformation', kind: 'number', label: 'Marketing emails clicked', readOnly: true },
    hs_email_bounce: { group: 'emailinformation', kind: 'number', label: 'Marketing emails bounced', readOnly: true },
    hs_email_optout: { group: 'emailinformation', kind: 'yesno', label: 'Unsubscribed from all email', values: ['true', 'false'], readOnly: true },
    hs_email_last_send_date: { group: 'emailinformation', kind: 'datetime', label: 'Last marketing email send date', readOnly: true },
    hs_email_last_open_date: { group: 'emailinformation', kind: 'datetime', label: 'Last marketing email open date', readOnly: true },
    hs_email_last_click_date: { group: 'emailinformation', kind: 'datetime', label: 'Last marketing email click date', readOnly: true },
    hs_sales_email_last_replied: { group: 'sales_properties', kind: 'datetime', label: 'Recent Sales Email Replied Date', readOnly: true },
    num_contacted_notes: { group: 'sales_properties', kind: 'number', label: 'Number of times contacted', readOnly: true },
    notes_last_contacted: { group: 'sales_properties', kind: 'datetime', label: 'Last Contacted', readOnly: true },
    hs_last_sales_activity_timestamp: { group: 'sales_properties', kind: 'datetime', label: 'Last Engagement Date', readOnly: true },
  },
  companies: {
    ...common('companyinformation'),
    hs_lastmodifieddate: { group: 'companyinformation', kind: 'datetime', label: 'Last Modified Date', readOnly: true },
    name: { group: 'companyinformation', kind: 'text', label: 'Company name' },
    domain: { group: 'companyinformation', kind: 'text', label: 'Company Domain Name' },
    industry: { group: 'companyinformation', kind: 'enum', label: 'Industry', values: industries },
    numberofemployees: { group: 'companyinformation', kind: 'number', label: 'Number of Employees' },
    annualrevenue: { group: 'companyinformation', kind: 'number', label: 'Annual Revenue' },
    country: { group: 'companyinformation', kind: 'text', label: 'Country/Region' },
    city: { group: 'companyinformation', kind: 'text', label: 'City' },
    type: { group: 'companyinformation', kind: 'enum', label: 'Type', values: companyTypes },
    lifecyclestage: { group: 'companyinformation', kind: 'radio', label: 'Lifecycle Stage', values: lifecycleStages },
    hs_lifecyclestage_customer_date: { group: 'companyinformation', kind: 'datetime', label: 'Became a Customer Date', readOnly: true },
    num_associated_contacts: { group: 'companyinformation', kind: 'number', label: 'Number of Associated Contacts', readOnly: true },
    num_associated_deals: { group: 'deal_information', kind: 'number', label: 'Number of Associated Deals', readOnly: true },
    hs_num_open_deals: { group: 'deal_information', kind: 'number', label: 'Number of open deals', readOnly: true },
    total_revenue: { group: 'deal_information', kind: 'number', label: 'Total Revenue', readOnly: true },
    recent_deal_amount: { group: 'deal_information', kind: 'number', label: 'Recent Deal Amount', readOnly: true },
    recent_deal_close_date: { group: 'deal_information', kind: 'datetime', label: 'Recent Deal Close Date', readOnly: true },
    hs_analytics_num_page_views: { group: 'analyticsinformation', kind: 'number', label: 'Number of Pageviews', readOnly: true },
  },
  deals: {
    ...common('dealinformation'),
    hs_lastmodifieddate: { group: 'dealinformation', kind: 'datetime', label: 'Last Modified Date', readOnly: true },
    dealname: { group: 'dealinformation', kind: 'text', label: 'Deal Name' },
    dealstage: { group: 'dealinformation', kind: 'radio', label: 'Deal Stage', values: dealStages },
    pipeline: { group: 'dealinformation', kind: 'enum', label: 'Pipeline', values: ['default'] },
    amount: { group: 'dealinformation', kind: 'number', label: 'Amount' },
    closedate: { group: 'dealinformation', kind: 'datetime', label: 'Close Date' },
    dealtype: { group: 'dealinformation', kind: 'radio', label: 'Deal Type', values: ['newbusiness', 'existingbusiness'] },
    closed_lost_reason: { group: 'dealinformation', kind: 'text', label: 'Closed Lost Reason' },
    hs_is_closed: { group: 'dealinformation', kind: 'bool', label: 'Is Deal Closed?', readOnly: true },
    hs_is_closed_won: { group: 'dealinformation', kind: 'bool', label: 'Is Closed Won', readOnly: true },
    hs_deal_stage_probability: { group: 'dealinformation', kind: 'number', label: 'Deal probability', readOnly: true },
    num_associated_contacts: { group: 'dealinformation', kind: 'number', label: 'Number of Associated Contacts', readOnly: true },
  },
};

const groupLabels: Record<string, string> = {
  contactinformation: 'Contact information', companyinformation: 'Company information', dealinformation: 'Deal information',
  analyticsinformation: 'Web analytics history', conversioninformation: 'Conversion information', emailinformation: 'Email information',
  sales_properties: 'Sales properties', deal_information: 'Deal information',
};

export function standardProperties(type: SandboxObjectType): SandboxProperty[] {
  return Object.entries(definitions[type]).map(([name, d]) => ({
    name,
    label: d.label ?? titleCase(name),
    ...shapes[d.kind],
    groupName: d.group,
    description: '',
    options: d.kind === 'bool' ? options(['true', 'false']) : options(d.values ?? []),
    displayOrder: -1,
    calculated: d.readOnly === true && name !== 'hs_object_id',
    externalOptions: false,
    hasUniqueValue: false,
    hidden: false,
    hubspotDefined: true,
    formField: !d.readOnly,
    modificationMetadata: { archivable: false, readOnlyDefinition: true, readOnlyValue: d.readOnly === true },
    createdAt: definedAt,
    updatedAt: definedAt,
    archived: false,
  }));
}

export function standardGroups(type: SandboxObjectType): PropertyGroup[] {
  const names = [...new Set(Object.values(definitions[type]).map((d) => d.group))];
  return names.map((name, displayOrder) => ({ name, label: groupLabels[name] ?? titleCase(name), displayOrder, archived: false }));
}
