import { assignExperiment, DEFAULT_UNIT, evaluateFlag, unitOf } from '@switchyard/core';
import type { EvaluationContext, ExperimentAssignment, JsonValue, Widen } from '@switchyard/core';
import type { FlagConfig } from '@switchyard/core/schema';
import type { ConfigStore } from '../config/config-store';
import type { Exposure, ExposureLogger } from './exposure-logger';
import { notReady } from './flag-details';
import type { FlagDetails } from './flag-details';
import type { StickyAssignments } from './sticky-assignments';

/** The reads every client offers, each given the context to evaluate against. */
export interface FlagReads {
  /** True when flag `key` serves `true`; false otherwise (missing, not boolean, no config). */
  isOn(key: string, context: EvaluationContext): boolean;
  /** The flag's value, or `defaultValue` when it cannot serve one of the same type. */
  getFlag<T extends JsonValue>(key: string, context: EvaluationContext, defaultValue: T): Widen<T>;
  /** The flag's value with the reason, variant, rule and error code. */
  getDetails<T extends JsonValue>(
    key: string,
    context: EvaluationContext,
    defaultValue: T,
  ): FlagDetails<Widen<T>>;
  /** The variant the unit is assigned in experiment `experimentId`, or null. */
  getVariant(experimentId: string, context: EvaluationContext): string | null;
  /** The whole assignment: variant, value and reason. */
  getAssignment(experimentId: string, context: EvaluationContext): ExperimentAssignment;
  /** The value of every flag that serves one (defaults of the caller are not known here). */
  allFlags(context: EvaluationContext): Record<string, JsonValue>;
}

/**
 * The evaluation surface over core: every read evaluates the current snapshot with core's
 * `evaluateFlag` / `assignExperiment`, never throws, and logs an exposure when the unit was
 * placed by a running experiment, or a flag exposure when a flag that rolls out to part of its
 * units (a rule with 0 < rollout < 100) served it a variant. `allFlags` logs none: it serves bootstrapping, not display.
 * With `sticky`, reads see the variants units kept, and each placement is kept.
 */
export class FlagEvaluator implements FlagReads {
  constructor(
    private readonly store: ConfigStore,
    private readonly exposures: ExposureLogger | undefined,
    private readonly sticky?: StickyAssignments,
  ) {}

  isOn(key: string, context: EvaluationContext): boolean {
    return this.getDetails(key, context, false).value === true;
  }

  getFlag<T extends JsonValue>(key: string, context: EvaluationContext, defaultValue: T): Widen<T> {
    return this.getDetails(key, context, defaultValue).value;
  }

  getDetails<T extends JsonValue>(
    key: string,
    context: EvaluationContext,
    defaultValue: T,
  ): FlagDetails<Widen<T>> {
    const snapshot = this.#snapshot(context);
    if (snapshot === undefined) return notReady(defaultValue as Widen<T>);
    const result = evaluateFlag(snapshot, key, context, defaultValue);
    if (result.inExperiment && result.experiment !== undefined && result.variant !== undefined) {
      const attribute = snapshot.experiments[result.experiment]?.unit ?? DEFAULT_UNIT;
      const unit = unitOf(context, attribute);
      if (unit !== undefined) {
        this.#placed({ unit, experiment: result.experiment, variant: result.variant, flag: key });
      }
    } else if (this.exposures !== undefined && servedByRules(result)) {
      const config = snapshot.flags[key];
      if (config !== undefined && partlyRolledOut(config)) {
        const unit = unitOf(context, config.unit ?? DEFAULT_UNIT);
        if (unit !== undefined) this.#flagServed(unit, key, result.variant!);
      }
    }
    return result;
  }

  getVariant(experimentId: string, context: EvaluationContext): string | null {
    return this.getAssignment(experimentId, context).variant;
  }

  getAssignment(experimentId: string, context: EvaluationContext): ExperimentAssignment {
    const snapshot = this.#snapshot(context);
    if (snapshot === undefined) return { variant: null, reason: 'NOT_FOUND', inExperiment: false };
    const assignment = assignExperiment(snapshot, experimentId, context);
    if (assignment.inExperiment && assignment.variant !== null && assignment.unit !== undefined) {
      this.#placed({
        unit: assignment.unit,
        experiment: experimentId,
        variant: assignment.variant,
      });
    }
    return assignment;
  }

  allFlags(context: EvaluationContext): Record<string, JsonValue> {
    const snapshot = this.#snapshot(context);
    const values: Record<string, JsonValue> = {};
    if (snapshot === undefined) return values;
    for (const key of Object.keys(snapshot.flags)) {
      const { value } = evaluateFlag(snapshot, key, context);
      if (value !== undefined) values[key] = value;
    }
    return values;
  }

  #snapshot(context: EvaluationContext) {
    const snapshot = this.store.snapshot;
    try {
      return snapshot && this.sticky ? this.sticky.view(snapshot, context) : snapshot;
    } catch {
      return snapshot;
    }
  }

  #flagServed(unit: string, flag: string, variant: string): void {
    try {
      this.exposures?.logFlag({ unit, flag, variant });
    } catch {
      // Logging must never break a read.
    }
  }

  #placed(exposure: Exposure): void {
    try {
      this.sticky?.record(exposure.unit, exposure.experiment, exposure.variant);
      this.exposures?.log(exposure);
    } catch {
      // Keeping or logging a placement must never break a read.
    }
  }
}

/** A variant the flag's rules (or default) chose, without error: not disabled, not a fallback. */
function servedByRules(result: { variant?: string; reason: string; errorCode?: string }): boolean {
  return (
    result.variant !== undefined &&
    result.errorCode === undefined &&
    result.reason !== 'DISABLED' &&
    result.reason !== 'ERROR'
  );
}

const partialRollouts = new WeakMap<FlagConfig, boolean>();

/** True when a rule of the flag admits some but not all units (0 < rollout < 100). */
function partlyRolledOut(config: FlagConfig): boolean {
  let partial = partialRollouts.get(config);
  if (partial === undefined) {
    partial = config.rules.some((r) => r.rollout !== undefined && r.rollout > 0 && r.rollout < 100);
    partialRollouts.set(config, partial);
  }
  return partial;
}
