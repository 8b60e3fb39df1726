import { ValidationError } from '../../errors';
import { newId } from '../../ids';
import type { MetricPoint } from '../../store/records';
import { readVerb, writeVerb } from '../../verbs/verb';
import {
  changeEvent,
  deleteVerb,
  findVerb,
  getVerb,
  newEntityBase,
  saveEntity,
  updateVerb,
} from '../common';
import type { Metric } from './schema';
import {
  MetricDefineSchema,
  MetricPointsQuerySchema,
  MetricRecordSchema,
  MetricUpdateSchema,
} from './schema';

const TYPE = 'Metric';

/** The verbs of metrics: definitions (for experiments) and recorded data points. */
export const metricVerbs = {
  define: writeVerb({
    input: MetricDefineSchema,
    async apply(tx, input, call) {
      const metric: Metric = { ...newEntityBase(TYPE, call), ...input };
      await saveEntity(tx, metric, metric.name);
      return {
        result: metric,
        event: changeEvent(metric, { name: metric.name, kind: metric.kind }),
      };
    },
  }),
  update: updateVerb<typeof MetricUpdateSchema, Metric>(TYPE, MetricUpdateSchema, {
    key: (metric) => metric.name,
    check(next) {
      if (next.kind === 'mean' && next.property === undefined) {
        throw ValidationError.at(['property'], 'a mean metric needs a property');
      }
    },
  }),
  delete: deleteVerb<Metric>(TYPE),
  get: getVerb<Metric>(TYPE),
  find: findVerb<Metric>(TYPE),
  record: writeVerb({
    input: MetricRecordSchema,
    async apply(tx, input, call) {
      const point: MetricPoint = {
        id: newId('MetricPoint'),
        environment: call.environment,
        name: input.name,
        value: input.value,
        dimensions: input.dimensions ?? {},
        at: input.at ?? call.now.toISOString(),
      };
      await tx.insertMetricPoint(point);
      return {
        result: point,
        event: {
          entityType: 'MetricPoint',
          entityId: point.id,
          payload: { name: point.name, value: point.value },
          state: { ...point },
        },
      };
    },
  }),
  /** Recorded data points, oldest first, optionally of one metric. */
  points: readVerb({
    input: MetricPointsQuerySchema,
    async read(reader, input, call) {
      return reader.listMetricPoints(call.environment, input.name, input);
    },
  }),
};

/** The verbs of metrics, by name. */
export type MetricVerbs = typeof metricVerbs;
