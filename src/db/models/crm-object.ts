/**
 * `crm_objects`: the app's copy of a portal's contacts, companies and deals. One document per
 * (portal, object type, object id). Property names and values are stored as data in arrays of
 * pairs, never as field names, so a HubSpot property called `$where` or `a.b` is just a string.
 */
import { Schema, type Connection, type InferSchemaType, type Model } from 'mongoose';
import { portalScopePlugin } from '../portal-scope.ts';

const propertyValue = new Schema({ name: { type: String, required: true }, value: { type: String } }, { _id: false });
const historyEntry = new Schema(
  { value: { type: String }, at: { type: Date, required: true }, sourceType: { type: String }, sourceId: { type: String } },
  { _id: false },
);
const propertyHistory = new Schema({ name: { type: String, required: true }, entries: { type: [historyEntry], default: [] } }, { _id: false });
const association = new Schema({ toType: { type: String, required: true }, ids: { type: [String], default: [] } }, { _id: false });

const crmObjectSchema = new Schema(
  {
    portalId: { type: Number, required: true },
    objectType: { type: String, enum: ['contacts', 'companies', 'deals'], required: true },
    objectId: { type: String, required: true },
    properties: { type: [propertyValue], default: [] },
    /** Newest first, at most HISTORY_LIMIT entries per property. */
    history: { type: [propertyHistory], default: [] },
    associations: { type: [association], default: [] },
    createdAt: { type: Date },
    updatedAt: { type: Date },
    archived: { type: Boolean, default: false },
    syncedAt: { type: Date, required: true },
  },
  { collection: 'crm_objects', strict: 'throw', versionKey: false, timestamps: false },
);

crmObjectSchema.plugin(portalScopePlugin);

export type CrmObjectDocument = InferSchemaType<typeof crmObjectSchema>;

export function crmObjectModel(connection: Connection): Model<CrmObjectDocument> {
  return (connection.models.CrmObject as Model<CrmObjectDocument>) ?? connection.model('CrmObject', crmObjectSchema);
}
