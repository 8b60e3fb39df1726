import type {
  ConfigChange,
  ConfigSnapshot,
  ServerMessage,
  TrackEvent,
} from '@switchyard/core/schema';
import type { Decoded, Decoder, EventsResponse } from '@switchyard/sdk-core';

type Fields = Record<string, any>;
/** A test of one value: truthy when it has the shape. */
type Check = (v: any) => unknown;

const isFields = (v: unknown): v is Fields =>
  typeof v === 'object' && v !== null && !Array.isArray(v);
const text: Check = (v) => typeof v === 'string';
const count: Check = (v) => Number.isInteger(v) && v >= 0;
const optional =
  (check: Check): Check =>
  (v) =>
    v === undefined || check(v);
const listOf =
  (check: Check): Check =>
  (v) =>
    Array.isArray(v) && v.every(check);
/** An object whose fields pass their checks (other fields are let through). */
const shaped =
  (checks: Record<string, Check>): Check =>
  (v) =>
    isFields(v) && Object.entries(checks).every(([key, check]) => check(v[key]));

/** Throws `what` (caught by `decodeWith`) unless `ok`; returns `v`. */
function need<T>(ok: unknown, what: string, v?: T): T {
  if (!ok) throw what;
  return v!;
}

/** Entity checks by change kind, with what a failure calls the entity. */
const ENTITIES: Record<string, [Check, string]> = {
  flag: [
    shaped({
      key: text,
      salt: text,
      type: (t) => /^(boolean|string|number|json)$/.test(t),
      enabled: (b) => b === !!b,
      variants: listOf(shaped({ key: text })),
      defaultVariant: text,
      rules: optional(listOf(isFields)),
      prerequisites: optional(listOf(isFields)),
    }),
    'a flag',
  ],
  experiment: [
    shaped({
      id: text,
      salt: text,
      status: text,
      variants: listOf(shaped({ key: text, weight: (w) => typeof w === 'number' })),
    }),
    'an experiment',
  ],
  segment: [isFields, 'a condition'],
};

const entity = (kind: string, v: Fields, where: string): Fields =>
  need(
    ENTITIES[kind]![0](v),
    `${where} is not ${ENTITIES[kind]![1]}`,
    // A flag without rules gets an empty list, as the schema's default does.
    kind === 'flag' ? { ...v, rules: v.rules ?? [] } : v,
  );

function snapshot(raw: unknown): ConfigSnapshot {
  // A bootstrap payload holds the snapshot in `config`.
  const s: Fields = isFields(raw) && raw.version === undefined ? raw.config : raw;
  need(shaped({ version: count, environment: text })(s), 'not a config snapshot');
  const value: Fields = { version: s.version, environment: s.environment };
  for (const [records, kind] of [
    ['flags', 'flag'],
    ['experiments', 'experiment'],
    ['segments', 'segment'],
  ] as const) {
    need(isFields(s[records]), `${records} is not an object`);
    // fromEntries defines own entries, so a key like `__proto__` stays a plain key.
    value[records] = Object.fromEntries(
      Object.entries<Fields>(s[records]).map(([key, v]) => [
        key,
        entity(kind, v, `${records}.${key}`),
      ]),
    );
  }
  return value as ConfigSnapshot;
}

const ack = (v: unknown): EventsResponse =>
  need(
    shaped({
      batchId: text,
      accepted: count,
      rejected: optional(listOf(shaped({ index: count }))),
    })(v),
    'not an events answer',
    v as EventsResponse,
  );

function change(c: Fields, i: number): ConfigChange {
  const where = `changes.${i}`;
  need(isFields(c) && text(c.key) && Object.hasOwn(ENTITIES, c.kind), where);
  return { ...c, value: c.value === null ? null : entity(c.kind, c.value, where) } as ConfigChange;
}

function serverMessage(v: Fields): ServerMessage {
  // Each branch checks that `v` is an object; `?.` only keeps null from throwing here.
  const type = v?.type;
  if (type === 'snapshot') return { type, ...snapshot(v) };
  if (type === 'ack') return { ...ack(v), type };
  if (type === 'delta') {
    need(shaped({ from: count, to: count, changes: Array.isArray })(v), 'bad delta');
    return { type, from: v.from, to: v.to, changes: v.changes.map(change) };
  }
  return need(
    type === 'error'
      ? shaped({ code: text, message: text, batchId: optional(text) })(v)
      : type === 'domain' && shaped({ seq: count, event: isFields })(v),
    `bad ${type} message`,
    v as ServerMessage,
  );
}

const event = (v: unknown): TrackEvent =>
  need(
    shaped({
      id: text,
      type: text,
      timestamp: optional((t) => count(t) || text(t)),
      unit: optional(text),
      properties: optional(isFields),
    })(v),
    'not an event',
    v as TrackEvent,
  );

const decodeWith =
  <T>(decode: (raw: any) => T) =>
  (raw: unknown): Decoded<T> => {
    try {
      return { ok: true, value: decode(raw) };
    } catch (error) {
      return { ok: false, error: `${error}` };
    }
  };

/**
 * A `Decoder` that checks the shape of what comes in (kinds of messages, the fields sync, the
 * event queue and core's evaluation rely on) without zod, which would weigh several times the
 * whole SDK in a bundle. What it does not check deeper is safe because evaluation never throws:
 * a flag with, say, a malformed rule serves its caller's default with an error code. For full
 * schema validation, pass sdk-core's `schemaDecoder` as `platform.decoder`.
 */
export const shapeDecoder: Decoder = {
  serverMessage: decodeWith(serverMessage),
  snapshot: decodeWith(snapshot),
  eventsResponse: decodeWith(ack),
  event: decodeWith(event),
};
