import { EXPOSURE_EVENT } from '@switchyard/core';
import type { IngestEvent } from '@switchyard/core/schema';

/** Deepest nesting of property values read here; deeper ones are left to the schema. */
const MAX_DEPTH = 16;

type Plain = Record<string, unknown>;

/** The properties core's exposure schema names, in its order. */
const EXPOSURE_KEYS: readonly string[] = ['experiment', 'variant', 'flag'];

/** A plain object as JSON.parse makes them: Object's prototype, no symbol keys. */
function isPlainObject(value: unknown): value is Plain {
  return (
    typeof value === 'object' &&
    value !== null &&
    Object.getPrototypeOf(value) === Object.prototype &&
    Object.getOwnPropertySymbols(value).length === 0
  );
}

function isText(value: unknown, min: number, max: number): value is string {
  return typeof value === 'string' && value.length >= min && value.length <= max;
}

/** A JSON value as core's JsonValueSchema takes it, judged without building a copy. */
function isJsonValue(value: unknown, depth: number): boolean {
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return true;
    case 'number':
      return Number.isFinite(value);
    case 'object':
      if (value === null) return true;
      if (depth >= MAX_DEPTH) return false;
      if (Array.isArray(value)) {
        if (Object.getPrototypeOf(value) !== Array.prototype) return false;
        for (let i = 0; i < value.length; i++) if (!isJsonValue(value[i], depth + 1)) return false;
        return true;
      }
      return isJsonRecord(value, depth + 1);
    default:
      return false;
  }
}

/** A record of JSON values; `__proto__` keys (which a copy would turn into a prototype) refused. */
function isJsonRecord(value: unknown, depth: number): value is Plain {
  if (!isPlainObject(value)) return false;
  for (const key in value) {
    if (key === '__proto__' || !isJsonValue(value[key], depth)) return false;
  }
  return true;
}

/** The keys core's event schema knows, in its order. */
const EVENT_KEYS: readonly string[] = ['id', 'type', 'timestamp', 'unit', 'properties'];

/** True when the event has no keys but the schema's, and those in the schema's order. */
function hasEventKeysInOrder(candidate: Plain): boolean {
  let next = 0;
  for (const key in candidate) {
    while (next < EVENT_KEYS.length && EVENT_KEYS[next] !== key) next++;
    if (next === EVENT_KEYS.length) return false;
    next++;
  }
  return true;
}

/**
 * An exposure's properties in the order core's schema gives them (experiment, variant, flag, then
 * the rest as sent), or undefined when they are not plainly valid.
 */
function exposureProperties(p: unknown): Plain | undefined {
  if (!isJsonRecord(p, 1)) return undefined;
  const { experiment, variant, flag } = p;
  if (!isText(experiment, 1, Infinity) || !isText(variant, 1, Infinity)) return undefined;
  if (flag !== undefined && !isText(flag, 1, Infinity)) return undefined;
  const known = flag === undefined ? 2 : 3;
  // Already in that order (as SDKs send them): kept as it is, not copied.
  let i = 0;
  let ordered = true;
  for (const key in p) {
    if (i < known && key !== EXPOSURE_KEYS[i]) ordered = false;
    i++;
  }
  if (ordered) return p;
  const copy: Plain = flag === undefined ? { experiment, variant } : { experiment, variant, flag };
  for (const key in p) if (!EXPOSURE_KEYS.includes(key)) copy[key] = p[key];
  return copy;
}

/**
 * Reads an event without zod when it is plainly valid: exactly the verdict and output of core's
 * EventSchema (unknown keys dropped, keys in the schema's order), but only for the shapes SDKs
 * send (plain objects, numeric or absent timestamp, no `undefined` fields). Answers undefined
 * for anything else, valid or not: the schema decides those, and words the reasons.
 */
export function readPlainEvent(candidate: unknown): IngestEvent | undefined {
  if (!isPlainObject(candidate)) return undefined;
  const { id, type, timestamp, unit, properties } = candidate;
  // A key present but undefined stays in the schema's output: left to it.
  if (
    (timestamp === undefined && 'timestamp' in candidate) ||
    (unit === undefined && 'unit' in candidate) ||
    (properties === undefined && 'properties' in candidate)
  ) {
    return undefined;
  }
  if (!isText(id, 1, 128) || !isText(type, 1, 200)) return undefined;
  if (
    timestamp !== undefined &&
    !(typeof timestamp === 'number' && Number.isSafeInteger(timestamp) && timestamp >= 0)
  ) {
    return undefined;
  }
  const exposure = type === EXPOSURE_EVENT;
  if (exposure ? !isText(unit, 1, 512) : unit !== undefined && !isText(unit, 1, 512)) {
    return undefined;
  }
  let props: Plain | undefined;
  if (exposure) {
    props = exposureProperties(properties);
    if (props === undefined) return undefined;
  } else if (properties !== undefined) {
    if (!isJsonRecord(properties, 1)) return undefined;
    props = properties;
  }
  // Already just the schema's keys in its order (as SDKs send events): kept as it is.
  if (props === properties && hasEventKeysInOrder(candidate)) return candidate as IngestEvent;
  // The schema's key order; absent keys stay absent, as the schema leaves them.
  const event: Plain = { id, type };
  if (timestamp !== undefined) event.timestamp = timestamp;
  if (unit !== undefined) event.unit = unit;
  if (props !== undefined) event.properties = props;
  return event as IngestEvent;
}
