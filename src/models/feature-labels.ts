/**
 * Feature names in a sales rep's words. Known HubSpot properties get their HubSpot label; anything
 * else (a portal's custom property, a CSV column) is its name made readable.
 */
const propertyLabels: Record<string, string> = {
  hs_analytics_num_page_views: 'page views',
  hs_analytics_num_visits: 'website visits',
  hs_analytics_num_event_completions: 'tracked events',
  num_conversion_events: 'form submissions',
  num_unique_conversion_events: 'different forms submitted',
  hs_email_open: 'marketing emails opened',
  hs_email_click: 'marketing emails clicked',
  hs_email_bounce: 'bounced emails',
  hs_email_delivered: 'marketing emails delivered',
  hs_email_optout: 'opted out of email',
  hs_analytics_source: 'original source',
  hs_analytics_last_visit_timestamp: 'last website visit',
  hs_analytics_first_visit_timestamp: 'first website visit',
  hs_email_last_open_date: 'last email opened',
  hs_email_last_click_date: 'last email clicked',
  hs_sales_email_last_replied: 'last reply to a sales email',
  notes_last_contacted: 'last contacted',
  num_contacted_notes: 'times contacted',
  recent_conversion_date: 'last form submission',
  first_conversion_date: 'first form submission',
  numberofemployees: 'employees',
  annualrevenue: 'annual revenue',
  industry: 'industry',
  jobtitle: 'job title',
  country: 'country',
};

export function readableProperty(name: string): string {
  return propertyLabels[name] ?? name.replace(/^hs_/, '').replace(/[_\s]+/g, ' ').trim();
}

/** Splits a feature name like `hs_email_open (last 30 days)` or `company industry` into its parts. */
export function describeFeature(feature: string): { subject: string; qualifier: string | undefined; company: boolean } {
  const match = /^(company )?(.+?)(?: \((.+)\))?$/.exec(feature);
  if (!match) return { subject: feature, qualifier: undefined, company: false };
  return { subject: readableProperty(match[2]), qualifier: match[3], company: match[1] !== undefined };
}
