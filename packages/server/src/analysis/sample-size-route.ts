import express, { Router } from 'express';
import type { Request, RequestHandler } from 'express';
import * as z from 'zod';
import { ValidationError } from '../errors';
import { bodyObject } from '../http/request-input';
import { sampleSize } from '../stats/sample-size';
import type { SampleSize } from '../stats/sample-size';

const Probability = z.number().gt(0).lt(1);

/** What `POST /v1/experiments/sample-size` takes (the GET takes the same names in its query). */
export const SampleSizeRequestSchema = z.strictObject({
  /** `conversion` (default), `mean` or `count`. */
  metric: z.enum(['conversion', 'mean', 'count']).optional(),
  /** Control's expected conversion rate, in (0, 1), or its mean. */
  baseline: z.number().finite(),
  /** Per-unit standard deviation: needed for `mean` and `count`. */
  standardDeviation: z.number().positive().finite().optional(),
  /** The smallest effect worth detecting: relative (0.2 = +20%) unless `effectType: 'absolute'`. */
  minimumDetectableEffect: z.number().positive().finite(),
  effectType: z.enum(['relative', 'absolute']).optional(),
  /** Two-sided significance level (default 0.05). */
  alpha: Probability.optional(),
  /** Power against the effect (default 0.8). */
  power: Probability.optional(),
  /** Variant weights, control first (default two equal arms). */
  weights: z.array(z.number().positive().finite()).min(2).max(50).optional(),
});
export type SampleSizeRequest = z.infer<typeof SampleSizeRequestSchema>;

/** The answer: the suggested `targetSampleSize` (all variants together) and its parts. */
export interface SampleSizeAnswer extends SampleSize {
  /** Σ perVariant, to set as the experiment's `targetSampleSize`; null with a flag when none. */
  targetSampleSize: number | null;
  /** The request with its defaults filled in. */
  input: Required<Omit<SampleSizeRequest, 'standardDeviation'>> & { standardDeviation?: number };
}

/** Suggests a target sample size (see `sampleSize`). Pure. */
export function suggestSampleSize(request: SampleSizeRequest): SampleSizeAnswer {
  const input = {
    metric: request.metric ?? 'conversion',
    baseline: request.baseline,
    minimumDetectableEffect: request.minimumDetectableEffect,
    effectType: request.effectType ?? 'relative',
    alpha: request.alpha ?? 0.05,
    power: request.power ?? 0.8,
    weights: request.weights ?? [1, 1],
    ...(request.standardDeviation === undefined
      ? {}
      : { standardDeviation: request.standardDeviation }),
  };
  if (input.metric !== 'conversion' && input.standardDeviation === undefined) {
    throw ValidationError.at(['standardDeviation'], `a ${input.metric} metric needs one`);
  }
  const found = sampleSize(input);
  return { targetSampleSize: found.total, ...found, input };
}

/** The query of the GET: numbers as numbers, `weights` as a comma-separated list. */
function fromQuery(req: Request): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [name, raw] of Object.entries(req.query as Record<string, unknown>)) {
    if (name === 'environment') continue;
    if (typeof raw !== 'string') throw ValidationError.at([name], `give ${name} once`);
    const number = (s: string) => (s.trim() !== '' && Number.isFinite(Number(s)) ? Number(s) : s);
    out[name] = name === 'weights' ? raw.split(',').map(number) : number(raw);
    if (name === 'metric' || name === 'effectType') out[name] = raw;
  }
  return out;
}

/**
 * `POST /v1/experiments/sample-size` (JSON body) and `GET /v1/experiments/sample-size?…` (admin
 * keys): the units an experiment needs to detect an effect, by the normal approximation. An
 * effect that cannot be reached (a rate past 1) answers nulls with the flag
 * `effect-out-of-range`.
 */
export function sampleSizeRoute(admin: RequestHandler): Router {
  const router = Router();
  const answer = (input: unknown) => {
    const parsed = SampleSizeRequestSchema.safeParse(input);
    if (!parsed.success) throw ValidationError.fromZod(parsed.error, 'sample-size request');
    return suggestSampleSize(parsed.data);
  };
  router.post('/experiments/sample-size', admin, express.json({ limit: '16kb' }), (req, res) => {
    res.json(answer(bodyObject(req)));
  });
  router.get('/experiments/sample-size', admin, (req, res) => {
    res.json(answer(fromQuery(req)));
  });
  return router;
}
