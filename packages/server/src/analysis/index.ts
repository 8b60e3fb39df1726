/**
 * Analysis while experiments and rollouts run: the results route's looks, auto-conclusion of
 * experiments (`considerConclusion`), sample-ratio-mismatch events, guarded rollouts
 * (`checkGuard`, `watchGuards`), and the monitor that runs them after ingestion and on a timer.
 */
export { AnalysisMonitor } from './analysis-monitor';
export type { AnalysisMonitorOptions } from './analysis-monitor';
export { AUTO_CONCLUDE_ACTOR, considerConclusion } from './auto-conclusion';
export type { ConclusionOutcome } from './auto-conclusion';
export { GUARD_CONFIDENCE, checkGuard } from './guard-check';
export type { GuardVerdict } from './guard-check';
export {
  GUARDED_ACTION,
  flagOfGuardedKey,
  guardMetricsByFlag,
  guardedFlagKey,
  guardedSteps,
} from './guarded-flags';
export type { GuardedStep } from './guarded-flags';
export { watchGuards } from './guard-watch';
export { SampleSizeRequestSchema, sampleSizeRoute, suggestSampleSize } from './sample-size-route';
export type { SampleSizeAnswer, SampleSizeRequest } from './sample-size-route';
export { ANALYSIS_ACTOR, SRM_CLEARED, SRM_DETECTED, recordSrmState } from './srm-alert';
