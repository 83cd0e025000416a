/**
 * Every collection that holds a portal's data, keyed by `portalId`. An uninstall or a privacy
 * clean-up walks this list; a stage that adds a collection of portal data adds it here.
 */
export const portalDataCollections = [
  'jobs',
  'job_turns',
  'crm_objects',
  'webhook_inbox',
  'sync_state',
  'models',
  'scores',
  'portal_settings',
  'send_time_summaries',
] as const;
