/**
 * `portal_settings`: what an admin chose on the portal's page (what counts as a conversion and as
 * churn, the decision thresholds). Absent fields mean the defaults.
 */
import { Schema, type Connection, type InferSchemaType, type Model } from 'mongoose';
import { portalScopePlugin } from '../portal-scope.ts';

const portalSettingsSchema = new Schema(
  {
    portalId: { type: Number, required: true },
    labels: { type: Schema.Types.Mixed },
    decisions: { type: Schema.Types.Mixed },
    updatedAt: { type: Date },
  },
  { collection: 'portal_settings', strict: 'throw', versionKey: false },
);

portalSettingsSchema.plugin(portalScopePlugin);

export type PortalSettingsDocument = InferSchemaType<typeof portalSettingsSchema>;

export function portalSettingsModel(connection: Connection): Model<PortalSettingsDocument> {
  return (connection.models.PortalSettings as Model<PortalSettingsDocument>) ?? connection.model('PortalSettings', portalSettingsSchema);
}
