/**
 * Uplift: what an action changes, learned from the randomised control group and judged by Qini.
 * Pure: plain tables and arrays in, plain data out.
 */
export { qiniCoefficient, upliftInTop, rankByScore, type UpliftSample, type MeasuredUplift } from './qini.ts';
export { bootstrapStandardErrors, type WeightedStatistic } from './bootstrap.ts';
export { trainUplift, predictUplift, upliftLearners, learnerName, type UpliftModel, type UpliftLearner, type UpliftTrainingData, type MetaLearner, type BaseLearner } from './uplift-learners.ts';
export { chooseUpliftLearner, upliftFolds, type UpliftChoice, type ChooseOptions } from './choose-uplift-learner.ts';
export { chooseActions, policyValue, policyDifference, policyTerms, armShares, type Arm, type ActionGains, type ExperimentRecords, type PolicyValue } from './policy-value.ts';
export { upliftReadiness, trainEnrolmentUplift, defaultMinEach, type GroupTally, type UpliftReadiness, type EnrolmentUpliftRun } from './enrolment-uplift.ts';
export { assignTrack, trackEstimates, betaSample, trackListSchema, trackSchema, maxTracks, controlTrack, type Track, type TrackResults, type TrackTally, type TrackAssignment } from './next-best-track.ts';
export { recommendations, minRecordsPerGroup, type Recommendation, type MeasuredBand, type ActionEnrolment } from './recommendations.ts';
