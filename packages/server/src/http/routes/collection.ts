import { Router } from 'express';
import type { Request, Response } from 'express';
import { NotFoundError } from '../../errors';
import type { Switchyard } from '../../service/switchyard';
import { actorOf, bodyObject, environmentOf, findQuery } from '../request-input';

/** One REST collection and the facade whose verbs serve it. */
export interface CollectionSpec {
  /** The path segment: `experiments` for `/v1/experiments`. */
  path: string;
  facade: string;
  /** The verb behind `POST /v1/<path>` (`create`, or `define` for metrics). */
  create: string;
  /** Verbs reachable as `POST /v1/<path>/:id/<verb>`. */
  actions: readonly string[];
  /** Whether `PATCH /:id` (update) and `DELETE /:id` exist. */
  mutable: boolean;
}

/** The management collections of the REST API. */
export const COLLECTIONS: readonly CollectionSpec[] = [
  {
    path: 'experiments',
    facade: 'Experiment',
    create: 'create',
    actions: ['start', 'pause', 'resume', 'stop', 'conclude', 'archive'],
    mutable: true,
  },
  {
    path: 'flags',
    facade: 'FeatureFlag',
    create: 'create',
    actions: ['enable', 'disable', 'rollout', 'rollback', 'archive'],
    mutable: true,
  },
  { path: 'segments', facade: 'Segment', create: 'create', actions: [], mutable: true },
  { path: 'metrics', facade: 'Metric', create: 'define', actions: [], mutable: true },
  {
    path: 'workflows',
    facade: 'Workflow',
    create: 'create',
    actions: ['trigger', 'pause', 'resume', 'cancel'],
    mutable: true,
  },
  { path: 'webhooks', facade: 'Webhook', create: 'create', actions: [], mutable: true },
  { path: 'events', facade: 'Event', create: 'create', actions: [], mutable: false },
];

/** Runs a verb of `facade` for a request. */
export function verbCaller(sy: Switchyard, facade: string) {
  return (req: Request, res: Response, verb: string, input: unknown) =>
    sy.call(facade, verb, input, environmentOf(req, res), actorOf(res));
}

/**
 * The routes of one collection: list (`?filter=&sort=&limit=&offset=&asOf=`), create, get,
 * update, delete, and `POST /:id/<verb>` for the custom verbs.
 */
export function collectionRouter(sy: Switchyard, spec: CollectionSpec): Router {
  const router = Router();
  const call = verbCaller(sy, spec.facade);
  router.get('/', async (req, res) => {
    res.json(await call(req, res, 'find', findQuery(req)));
  });
  router.post('/', async (req, res) => {
    const created = (await call(req, res, spec.create, bodyObject(req))) as Record<string, unknown>;
    const id = created.$id ?? created.id;
    if (typeof id === 'string') res.location(`/v1/${spec.path}/${encodeURIComponent(id)}`);
    res.status(201).json(created);
  });
  router.get('/:id', async (req, res) => {
    res.json(await call(req, res, 'get', { id: req.params.id }));
  });
  if (spec.mutable) {
    router.patch('/:id', async (req, res) => {
      res.json(await call(req, res, 'update', { ...bodyObject(req), id: req.params.id }));
    });
    router.delete('/:id', async (req, res) => {
      res.json(await call(req, res, 'delete', { id: req.params.id }));
    });
  }
  router.post('/:id/:verb', async (req, res) => {
    const verb = req.params.verb;
    if (!spec.actions.includes(verb)) {
      throw new NotFoundError(
        `no verb '${verb}' on ${spec.path}; there are: ${spec.actions.join(', ') || 'none'}`,
      );
    }
    res.json(await call(req, res, verb, { ...bodyObject(req), id: req.params.id }));
  });
  return router;
}
