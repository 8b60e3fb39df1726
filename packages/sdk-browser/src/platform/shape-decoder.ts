import type {
  ConfigChange,
  ConfigSnapshot,
  ExperimentConfig,
  FlagConfig,
  ServerMessage,
  TrackEvent,
} from '@switchyard/core/schema';
import type { Decoded, Decoder, EventsResponse } from '@switchyard/sdk-core';

type Fields = Record<string, unknown>;

const isFields = (v: unknown): v is Fields =>
  typeof v === 'object' && v !== null && !Array.isArray(v);
const isCount = (v: unknown): v is number => Number.isInteger(v) && (v as number) >= 0;
const isText = (v: unknown): v is string => typeof v === 'string';
const isOptional = (v: unknown, test: (v: unknown) => boolean): boolean =>
  v === undefined || test(v);
const isListOf = (v: unknown, test: (v: unknown) => boolean): v is unknown[] =>
  Array.isArray(v) && v.every(test);

function check(ok: boolean, what: string): asserts ok {
  if (!ok) throw new TypeError(what);
}

const isVariant = (v: unknown) => isFields(v) && isText(v.key);

function flag(v: unknown, where: string): FlagConfig {
  check(
    isFields(v) &&
      isText(v.key) &&
      isText(v.salt) &&
      ['boolean', 'string', 'number', 'json'].includes(v.type as string) &&
      typeof v.enabled === 'boolean' &&
      isListOf(v.variants, isVariant) &&
      isText(v.defaultVariant) &&
      isOptional(v.rules, (r) => isListOf(r, isFields)) &&
      isOptional(v.prerequisites, (p) => isListOf(p, isFields)),
    `${where} is not a flag`,
  );
  return (v.rules === undefined ? { ...v, rules: [] } : v) as FlagConfig;
}

function experiment(v: unknown, where: string): ExperimentConfig {
  check(
    isFields(v) &&
      isText(v.id) &&
      isText(v.salt) &&
      isText(v.status) &&
      isListOf(v.variants, (x) => isVariant(x) && typeof (x as Fields).weight === 'number'),
    `${where} is not an experiment`,
  );
  return v as ExperimentConfig;
}

function segment(v: unknown, where: string): Fields {
  check(isFields(v), `${where} is not a condition`);
  return v;
}

function record<T>(v: unknown, where: string, entry: (v: unknown, where: string) => T) {
  check(isFields(v), `${where} is not an object`);
  // fromEntries defines own entries, so a key like `__proto__` stays a plain key.
  return Object.fromEntries(
    Object.entries(v).map(([key, value]) => [key, entry(value, `${where}.${key}`)]),
  ) as Record<string, T>;
}

function snapshot(raw: unknown): ConfigSnapshot {
  // A bootstrap payload holds the snapshot in `config`.
  const s = isFields(raw) && raw.version === undefined && isFields(raw.config) ? raw.config : raw;
  check(isFields(s) && isCount(s.version) && isText(s.environment), 'not a config snapshot');
  return {
    version: s.version,
    environment: s.environment,
    flags: record(s.flags, 'flags', flag),
    experiments: record(s.experiments, 'experiments', experiment),
    segments: record(s.segments, 'segments', segment),
  };
}

const ENTITIES = { flag, experiment, segment };

function change(v: unknown, index: number): ConfigChange {
  const where = `changes.${index}`;
  check(isFields(v) && isText(v.key) && Object.hasOwn(ENTITIES, v.kind as string), where);
  const entity = ENTITIES[v.kind as keyof typeof ENTITIES];
  return { ...v, value: v.value === null ? null : entity(v.value, where) } as ConfigChange;
}

function ack(v: unknown): EventsResponse {
  check(
    isFields(v) &&
      isText(v.batchId) &&
      isCount(v.accepted) &&
      isOptional(v.rejected, (r) => isListOf(r, (x) => isFields(x) && isCount(x.index))),
    'not an events answer',
  );
  return v as unknown as EventsResponse;
}

function serverMessage(v: unknown): ServerMessage {
  check(isFields(v), 'not an object');
  switch (v.type) {
    case 'snapshot':
      return { type: 'snapshot', ...snapshot(v) };
    case 'delta':
      check(isCount(v.from) && isCount(v.to) && Array.isArray(v.changes), 'bad delta');
      return { type: 'delta', from: v.from, to: v.to, changes: v.changes.map(change) };
    case 'ack':
      return { ...ack(v), type: 'ack' };
    case 'error':
      check(isText(v.code) && isText(v.message) && isOptional(v.batchId, isText), 'bad error');
      return v as ServerMessage;
    case 'domain':
      check(isCount(v.seq) && isFields(v.event), 'bad domain event');
      return v as ServerMessage;
  }
  throw new TypeError(`unknown message type ${String(v.type)}`);
}

function event(v: unknown): TrackEvent {
  check(
    isFields(v) &&
      isText(v.id) &&
      isText(v.type) &&
      isOptional(v.timestamp, (t) => isCount(t) || isText(t)) &&
      isOptional(v.unit, isText) &&
      isOptional(v.properties, isFields),
    'not an event',
  );
  return v as TrackEvent;
}

function decodeWith<T>(decode: (raw: unknown) => T): (raw: unknown) => Decoded<T> {
  return (raw) => {
    try {
      return { ok: true, value: decode(raw) };
    } catch (error) {
      return { ok: false, error: (error as Error).message };
    }
  };
}

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
