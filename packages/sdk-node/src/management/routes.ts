import type { TENSES, WriteVerbName } from '@switchyard/server';

/** How one verb maps onto the REST API (`<path>` is the facade's collection). */
export type VerbRoute =
  /** `POST /v1/<path>` with the input as body. */
  | { kind: 'create' }
  /** `GET /v1/<path>?filter=&sort=&limit=&offset=&asOf=` → `{ data, total }`. */
  | { kind: 'find' }
  /** `GET /v1/<path>/:id`; the input is `{ id }` or the id itself. */
  | { kind: 'get' }
  /** `PATCH /v1/<path>/:id` with the rest of the input. */
  | { kind: 'update' }
  /** `DELETE /v1/<path>/:id`. */
  | { kind: 'delete' }
  /** `POST /v1/<path>/:id/<verb>` with the rest of the input. */
  | { kind: 'action' }
  /** `POST /v1/<path>/<sub>` with the input as body. */
  | { kind: 'post'; sub: string }
  /** `GET /v1/<path>/<sub>?<input>` → the answer's `data`. */
  | { kind: 'list'; sub: string }
  /** `GET /v1/<path>/:id/<sub>?<rest of the input>`: a read about one entity (no domain event). */
  | { kind: 'read'; sub: string }
  /** `POST /v1/<path>/<sub>` with the input as body: a computation (no domain event). */
  | { kind: 'compute'; sub: string };

const create = { kind: 'create' } as const;
const find = { kind: 'find' } as const;
const get = { kind: 'get' } as const;
const update = { kind: 'update' } as const;
const remove = { kind: 'delete' } as const;
const action = { kind: 'action' } as const;
const standard = { create, update, delete: remove, get, find } as const;

/**
 * Every verb the REST API serves, by facade: the same names as the server's `$`, so code moves
 * between a server hook and a remote process unchanged.
 */
export const FACADES = {
  Experiment: {
    path: 'experiments',
    verbs: {
      ...standard,
      start: action,
      pause: action,
      resume: action,
      stop: action,
      conclude: action,
      archive: action,
      results: { kind: 'read', sub: 'results' },
      sampleSize: { kind: 'compute', sub: 'sample-size' },
    },
  },
  FeatureFlag: {
    path: 'flags',
    verbs: {
      ...standard,
      enable: action,
      disable: action,
      rollout: action,
      rollback: action,
      archive: action,
    },
  },
  Segment: { path: 'segments', verbs: standard },
  Metric: {
    path: 'metrics',
    verbs: {
      define: create,
      update,
      delete: remove,
      get,
      find,
      record: { kind: 'post', sub: 'record' },
      points: { kind: 'list', sub: 'points' },
    },
  },
  Workflow: {
    path: 'workflows',
    verbs: { ...standard, trigger: action, pause: action, resume: action, cancel: action },
  },
  Webhook: { path: 'webhooks', verbs: standard },
  Event: { path: 'events', verbs: { create, get, find } },
} as const satisfies Record<string, { path: string; verbs: Record<string, VerbRoute> }>;

/** The facades of the management API. */
export type FacadeName = keyof typeof FACADES;

/** The verbs the REST API serves for facade `F`. */
export type RouteVerbName<F extends FacadeName> = keyof (typeof FACADES)[F]['verbs'] & string;

/**
 * The after-hook (and domain event) name of each write verb. Checked against the server's
 * table when type-checking; a test checks that none is missing.
 */
export const PAST = {
  create: 'created',
  update: 'updated',
  delete: 'deleted',
  start: 'started',
  pause: 'paused',
  resume: 'resumed',
  stop: 'stopped',
  conclude: 'concluded',
  archive: 'archived',
  enable: 'enabled',
  disable: 'disabled',
  rollout: 'rolledout',
  rollback: 'rolledback',
  cancel: 'cancelled',
  define: 'defined',
  record: 'recorded',
  trigger: 'triggered',
} as const satisfies { [K in WriteVerbName]?: (typeof TENSES)[K]['past'] };

/** A verb with an after-hook. */
export type PastVerb = keyof typeof PAST;

/** The routes that change nothing, so have no after-hook. */
const READ_KINDS: ReadonlySet<VerbRoute['kind']> = new Set([
  'get',
  'find',
  'list',
  'read',
  'compute',
]);

/** The write verbs of a facade that the REST API serves, i.e. whose after-hooks exist. */
export function writeVerbsOf(facade: FacadeName): PastVerb[] {
  const verbs = FACADES[facade].verbs as Record<string, VerbRoute>;
  return Object.entries(verbs)
    .filter(([, route]) => !READ_KINDS.has(route.kind))
    .map(([verb]) => verb as PastVerb);
}

/** The domain event type of a facade's after-hook: `experiment.concluded`. */
export function eventTypeOf(facade: FacadeName, past: string): string {
  return `${facade.toLowerCase()}.${past}`;
}
