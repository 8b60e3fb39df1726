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

const fields = (v: unknown): v is Fields =>
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
    fields(v) && Object.entries(checks).every(([key, check]) => check(v[key]));

function need(ok: unknown, what: string): asserts ok {
  if (!ok) throw new TypeError(what);
}

/** Entity checks by change kind, with what a failure calls the entity. */
const ENTITIES: Record<string, [Check, string]> = {
  flag: [
    shaped({
      key: text,
      salt: text,
      type: (t) => ['boolean', 'string', 'number', 'json'].includes(t),
      enabled: (b) => typeof b === 'boolean',
      variants: listOf(shaped({ key: text })),
      defaultVariant: text,
      rules: optional(listOf(fields)),
      prerequisites: optional(listOf(fields)),
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
  segment: [fields, 'a condition'],
};

function entity(kind: string, v: Fields, where: string): Fields {
  const [check, name] = ENTITIES[kind]!;
  need(check(v), `${where} is not ${name}`);
  // A flag without rules gets an empty list, as the schema's default does.
  return kind === 'flag' && v.rules === undefined ? { ...v, rules: [] } : v;
}

function record(v: unknown, kind: string, where: string): Fields {
  need(fields(v), `${where} is not an object`);
  // fromEntries defines own entries, so a key like `__proto__` stays a plain key.
  return Object.fromEntries(
    Object.entries(v).map(([key, value]) => [key, entity(kind, value, `${where}.${key}`)]),
  );
}

function snapshot(raw: unknown): ConfigSnapshot {
  // A bootstrap payload holds the snapshot in `config`.
  const s = (
    fields(raw) && raw.version === undefined && fields(raw.config) ? raw.config : raw
  ) as Fields;
  need(shaped({ version: count, environment: text })(s), 'not a config snapshot');
  return {
    version: s.version,
    environment: s.environment,
    flags: record(s.flags, 'flag', 'flags'),
    experiments: record(s.experiments, 'experiment', 'experiments'),
    segments: record(s.segments, 'segment', 'segments'),
  } as ConfigSnapshot;
}

function change(v: Fields, index: number): ConfigChange {
  const where = `changes.${index}`;
  need(fields(v) && text(v.key) && Object.hasOwn(ENTITIES, v.kind), where);
  return { ...v, value: v.value === null ? null : entity(v.kind, v.value, where) } as ConfigChange;
}

const ack = (v: unknown): EventsResponse => {
  need(
    shaped({
      batchId: text,
      accepted: count,
      rejected: optional(listOf(shaped({ index: count }))),
    })(v),
    'not an events answer',
  );
  return v as EventsResponse;
};

function serverMessage(v: unknown): ServerMessage {
  need(fields(v), 'not an object');
  const { type } = v;
  if (type === 'snapshot') return { type, ...snapshot(v) };
  if (type === 'ack') return { ...ack(v), type };
  if (type === 'delta') {
    need(shaped({ from: count, to: count, changes: Array.isArray })(v), 'bad delta');
    return { type, from: v.from, to: v.to, changes: v.changes.map(change) };
  }
  need(
    type === 'error'
      ? shaped({ code: text, message: text, batchId: optional(text) })(v)
      : type === 'domain' && shaped({ seq: count, event: fields })(v),
    `bad ${type} message`,
  );
  return v as ServerMessage;
}

const event = (v: unknown): TrackEvent => {
  need(
    shaped({
      id: text,
      type: text,
      timestamp: optional((t) => count(t) || text(t)),
      unit: optional(text),
      properties: optional(fields),
    })(v),
    'not an event',
  );
  return v as TrackEvent;
};

const decodeWith =
  <T>(decode: (raw: unknown) => T) =>
  (raw: unknown): Decoded<T> => {
    try {
      return { ok: true, value: decode(raw) };
    } catch (error) {
      return { ok: false, error: (error as Error).message };
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
