// Platform-free: bundled into the browser page too, so every path encodes its readings the same way.
import type { EvaluationContext, JsonValue } from '@switchyard/core';

/** What to read for each unit: flags with the default an SDK caller would pass, and experiments. */
export interface ReadingPlan {
  flags: { key: string; defaultValue: JsonValue }[];
  experiments: string[];
}

/** The compared part of a `FlagEvaluation` (the server's JSON leaves out an absent value). */
export interface FlagReading {
  value?: unknown;
  variant?: string;
  reason: string;
}

/** The compared part of an `ExperimentAssignment`. */
export interface ExperimentReading {
  variant: string | null;
  reason: string;
}

/** The outcome of one unit's reads, as one path saw it. */
export interface UnitReadings {
  flags: Record<string, FlagReading | undefined>;
  experiments: Record<string, ExperimentReading | undefined>;
}

/** A client's reads, as both SDKs offer them. */
export interface Reader {
  getDetails(key: string, context: EvaluationContext, defaultValue: JsonValue): FlagReading;
  getAssignment(id: string, context: EvaluationContext): ExperimentReading;
}

/** One unit's readings through an SDK client. */
export function readThrough(
  reader: Reader,
  plan: ReadingPlan,
  context: EvaluationContext,
): UnitReadings {
  const flags: UnitReadings['flags'] = {};
  for (const { key, defaultValue } of plan.flags)
    flags[key] = reader.getDetails(key, context, defaultValue);
  const experiments: UnitReadings['experiments'] = {};
  for (const id of plan.experiments) experiments[id] = reader.getAssignment(id, context);
  return { flags, experiments };
}

/**
 * One unit's readings as a line of text: per flag `[value, variant, reason]`, per experiment
 * `[variant, reason]`, in plan order. Equal lines mean the paths agreed on everything compared.
 */
export function encodeReadings(plan: ReadingPlan, readings: UnitReadings): string {
  const row: unknown[] = [];
  for (const { key } of plan.flags) {
    const f = readings.flags[key];
    row.push(f === undefined ? null : [f.value ?? null, f.variant ?? null, f.reason]);
  }
  for (const id of plan.experiments) {
    const e = readings.experiments[id];
    row.push(e === undefined ? null : [e.variant, e.reason]);
  }
  return JSON.stringify(row);
}
