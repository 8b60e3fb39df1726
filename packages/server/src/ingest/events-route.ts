import { randomUUID } from 'node:crypto';
import express, { Router } from 'express';
import type { Request } from 'express';
import { ValidationError } from '../errors';
import { keyOf } from '../http/auth';
import { sdkCors } from '../http/sdk-cors';
import { sdkKey } from '../http/sdk-key';
import type { KeyVerifier } from '../keys/key-verifier';
import { SwitchyardError } from '../errors';
import { EventsBodySchema } from './event-batch';
import type { Ingestor } from './ingestor';
import { RateLimitedError } from './ingestor';

/** The largest body `POST /v1/events` takes (a full batch of events with their properties). */
export const DEFAULT_EVENTS_BODY_LIMIT = '4mb';

/** The batch a request carries: JSON, or (sendBeacon) text/plain holding the same JSON. */
function batchBody(req: Request): unknown {
  const body: unknown = req.body;
  if (typeof body !== 'string') return body;
  try {
    return JSON.parse(body);
  } catch {
    throw new SwitchyardError(400, 'malformed_json', 'the body is not valid JSON');
  }
}

/**
 * `POST /v1/events` for SDK keys (client or server): a batch `{ batchId?, events }` of at most
 * MAX_BATCH_EVENTS events, answered 200 `{ batchId, accepted, duplicates, rejected }` once the
 * accepted events are durable. Browsers may send it with `navigator.sendBeacon`, which cannot set
 * headers: `POST /v1/events?key=<client key>` with a text/plain body of the same JSON. More events
 * than the batch limit → 413 (split the batch); over the key's rate → 429 with Retry-After.
 * Admin keys go on to the management route (`Event.create`).
 */
export function eventsRoute(ingestor: Ingestor, keys: KeyVerifier, bodyLimit: string): Router {
  const router = Router();
  router.use(sdkCors('POST'));
  router.post(
    '/',
    sdkKey(keys, { kinds: ['server', 'client'], clientKeyInQuery: true, adminToNextRoute: true }),
    express.json({ limit: bodyLimit }),
    express.text({ type: 'text/plain', limit: bodyLimit }),
    async (req, res) => {
      const parsed = EventsBodySchema.safeParse(batchBody(req));
      if (!parsed.success) {
        if (parsed.error.issues.some((i) => i.code === 'too_big' && i.path[0] === 'events')) {
          throw new SwitchyardError(
            413,
            'too_many_events',
            'the batch has more events than allowed',
          );
        }
        throw ValidationError.fromZod(parsed.error, 'batch');
      }
      const key = keyOf(res);
      const batchId = parsed.data.batchId ?? randomUUID();
      try {
        res.json(await ingestor.ingest(key, key.environment!, batchId, parsed.data.events));
      } catch (error) {
        if (error instanceof RateLimitedError) {
          res.set('Retry-After', String(Math.max(1, Math.ceil(error.retryAfterMs / 1000))));
        }
        throw error;
      }
    },
  );
  return router;
}
