/**
 * `models`: the model registry. One document per model trained for a portal, object type (contacts
 * or companies) and target (lead or churn): its training window, features, metrics on the holdout, the serialized model, and the
 * promotion decision taken when it was trained. At most one per portal, object type and target is `current`.
 */
import { Schema, type Connection, type InferSchemaType, type Model } from 'mongoose';
import { portalScopePlugin } from '../portal-scope.ts';

const metrics = new Schema(
  { auc: { type: Number }, logLoss: { type: Number }, brier: { type: Number }, rows: { type: Number }, positives: { type: Number } },
  { _id: false },
);

const trainedModelSchema = new Schema(
  {
    portalId: { type: Number, required: true },
    /** Whose model: the portal's contacts or its companies (each has its own lead and churn model). */
    objectType: { type: String, enum: ['contacts', 'companies'], required: true, default: 'contacts' },
    target: { type: String, enum: ['lead', 'churn'], required: true },
    /** `lead-3`, `churn-1`, `company-lead-1`, ...: what `propensity_model_version` says; `lead-rules` for the cold-start model. */
    version: { type: String, required: true },
    kind: { type: String, enum: ['learned', 'rules'], required: true },
    status: { type: String, enum: ['current', 'retired', 'rejected'], required: true },
    trainedAt: { type: Date, required: true },
    /** Snapshot times the training rows come from, and the holdout snapshot. */
    window: { type: new Schema({ from: Date, to: Date, holdoutAt: Date }, { _id: false }) },
    labelSettings: { type: Schema.Types.Mixed },
    /** The feature plan (which properties became which features). */
    plan: { type: Schema.Types.Mixed, required: true },
    training: { type: metrics },
    holdout: { type: metrics },
    /** ROC points, calibration bins and top features on the holdout (src/models/holdout-charts.ts), for the portal's page. */
    charts: { type: Schema.Types.Mixed },
    /** Why a rule model was used (too little history), when it is one. */
    coldStart: { type: String },
    /** The serialized model (learners' JSON, or the rule model). */
    model: { type: String, required: true },
    /** Score distribution at promotion (10 bins): the reference for drift (PSI). */
    scoreBins: { type: [Number], default: undefined },
    decision: {
      type: new Schema(
        {
          promoted: { type: Boolean, required: true },
          reason: { type: String, required: true },
          replaced: { type: String },
          currentAucOnHoldout: { type: Number },
          decidedAt: { type: Date, required: true },
        },
        { _id: false },
      ),
    },
  },
  { collection: 'models', strict: 'throw', versionKey: false },
);

trainedModelSchema.plugin(portalScopePlugin);

export type TrainedModelDocument = InferSchemaType<typeof trainedModelSchema>;

export function trainedModelModel(connection: Connection): Model<TrainedModelDocument> {
  return (connection.models.TrainedModel as Model<TrainedModelDocument>) ?? connection.model('TrainedModel', trainedModelSchema);
}
