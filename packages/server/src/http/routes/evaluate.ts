import { assignExperiment, evaluateFlag } from '@switchyard/core';
import type { EvaluationContext, ExperimentAssignment, FlagEvaluation } from '@switchyard/core';
import type { ConfigSnapshot } from '@switchyard/core/schema';
import { JsonValueSchema } from '@switchyard/core/schema';
import { Router } from 'express';
import * as z from 'zod';
import { ValidationError } from '../../errors';
import { keyOf } from '../auth';
import { environmentOf } from '../request-input';

/** Most contexts one batch request evaluates. */
export const MAX_EVALUATE_CONTEXTS = 1000;

// Checked, not copied: a zod record would rebuild every context (and turn an own `__proto__`
// key into a prototype), while core's evaluation reads attributes as own properties anyway.
const ContextSchema = z.custom<EvaluationContext>(
  (v) => typeof v === 'object' && v !== null && !Array.isArray(v),
  'a context is a JSON object of attributes',
);

const KeyListSchema = z.array(z.string().min(1).max(200)).max(1000);

/**
 * The body of `POST /v1/evaluate`: one `context` or a batch of `contexts`, and optionally which
 * `flags` and `experiments` to evaluate (default: all of the key's view) and the `defaults`
 * served when a flag serves no value of its own (as an SDK's `getDetails(key, ctx, default)`).
 */
export const EvaluateBodySchema = z
  .strictObject({
    context: ContextSchema.optional(),
    contexts: z.array(ContextSchema).min(1).max(MAX_EVALUATE_CONTEXTS).optional(),
    flags: KeyListSchema.optional(),
    experiments: KeyListSchema.optional(),
    defaults: z.record(z.string(), JsonValueSchema).optional(),
  })
  .refine((b) => (b.context === undefined) !== (b.contexts === undefined), {
    message: 'give exactly one of context or contexts',
  });
export type EvaluateBody = z.infer<typeof EvaluateBodySchema>;

/** What one context evaluates to. */
export interface EvaluationResults {
  flags: Record<string, FlagEvaluation>;
  experiments: Record<string, ExperimentAssignment>;
}

/** Where evaluation reads the config: the snapshot of an environment as a view sees it. */
export interface ConfigSnapshots {
  /** Throws a NotFoundError for an unknown environment. */
  snapshot(environment: string, view: 'server' | 'client'): Promise<ConfigSnapshot>;
}

/** Evaluates the selected flags and experiments of `snapshot` for one context. */
function evaluateContext(
  snapshot: ConfigSnapshot,
  context: EvaluationContext,
  flagKeys: readonly string[],
  experimentIds: readonly string[],
  defaults: EvaluateBody['defaults'],
): EvaluationResults {
  // fromEntries defines own entries, so a requested key like `__proto__` stays a plain key.
  const flags = Object.fromEntries(
    flagKeys.map((key) => {
      const fallback = defaults && Object.hasOwn(defaults, key) ? defaults[key] : undefined;
      // An absent value (no default, nothing served) is left out of the JSON answer.
      return [key, evaluateFlag(snapshot, key, context, fallback) as FlagEvaluation];
    }),
  );
  const experiments = Object.fromEntries(
    experimentIds.map((id) => [id, assignExperiment(snapshot, id, context)]),
  );
  return { flags, experiments };
}

/**
 * `POST /v1/evaluate`: server-side evaluation with core's `evaluateFlag` / `assignExperiment`
 * over the environment's config as `snapshots` hold it (the realtime config feed: the snapshot
 * the stream and `/v1/config` serve, at the same version). Server keys (and admin keys, which name
 * the environment with `?environment=`) see every flag; client keys see the client view, so a
 * serverOnly flag reads as FLAG_NOT_FOUND, exactly as in a browser. Answers
 * `{ version, flags, experiments }` for a `context`, `{ version, results: [{ flags, experiments }] }`
 * for `contexts`. The caller checks the key and parses the JSON body.
 */
export function evaluateRouter(snapshots: ConfigSnapshots): Router {
  const router = Router();
  router.post('/', async (req, res) => {
    const environment = environmentOf(req, res);
    const parsed = EvaluateBodySchema.safeParse(req.body ?? {});
    if (!parsed.success) throw ValidationError.fromZod(parsed.error, 'evaluate request');
    const body = parsed.data;
    const view = keyOf(res).kind === 'client' ? 'client' : 'server';
    const snapshot = await snapshots.snapshot(environment, view);
    const flagKeys = body.flags ?? Object.keys(snapshot.flags);
    const experimentIds = body.experiments ?? Object.keys(snapshot.experiments);
    const evaluate = (context: EvaluationContext) =>
      evaluateContext(snapshot, context, flagKeys, experimentIds, body.defaults);
    if (body.contexts !== undefined) {
      res.json({ version: snapshot.version, results: body.contexts.map(evaluate) });
    } else {
      res.json({ version: snapshot.version, ...evaluate(body.context!) });
    }
  });
  return router;
}
