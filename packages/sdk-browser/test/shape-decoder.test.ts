import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import vectors from '@switchyard/core/test-vectors.json' with { type: 'json' };
import { schemaDecoder } from '@switchyard/sdk-core';
import { createClient, shapeDecoder } from '../src';
import { sampleSnapshot } from './support/harness';

const rich = vectors.evaluation.snapshot;

/** Every path into a JSON value. */
function paths(value: unknown, prefix: string[] = []): string[][] {
  if (typeof value !== 'object' || value === null) return [prefix];
  return [prefix, ...Object.entries(value).flatMap(([k, v]) => paths(v, [...prefix, k]))];
}

/** `value` with the thing at `path` replaced (or deleted, for undefined). */
function mutate(value: unknown, path: string[], replacement: unknown): unknown {
  if (path.length === 0) return replacement;
  const copy = Array.isArray(value) ? [...value] : { ...(value as object) };
  const [head, ...rest] = path as [string, ...string[]];
  const next = mutate((value as Record<string, unknown>)[head], rest, replacement);
  if (next === undefined) delete (copy as Record<string, unknown>)[head];
  else (copy as Record<string, unknown>)[head] = next;
  return copy;
}

const messages: unknown[] = [
  { type: 'snapshot', ...sampleSnapshot(3) },
  {
    type: 'delta',
    from: 3,
    to: 4,
    changes: [
      { kind: 'flag', key: 'banner', value: sampleSnapshot().flags.banner },
      { kind: 'experiment', key: 'exp1', value: null },
      { kind: 'segment', key: 'vip', value: { plan: 'pro' } },
    ],
  },
  { type: 'ack', batchId: 'b1', accepted: 2, duplicates: 1, rejected: [] },
  { type: 'error', code: 'rate_limited', message: 'slow down', batchId: 'b2' },
  {
    type: 'domain',
    seq: 4,
    event: { seq: 4, type: 'x', entityType: 'Flag', id: 'f', at: 'now', payload: {} },
  },
];

describe('shapeDecoder', () => {
  it('accepts what the schema decoder accepts, with the same result', () => {
    for (const raw of [rich, { config: rich }, sampleSnapshot(2)]) {
      expect(shapeDecoder.snapshot(raw)).toEqual(schemaDecoder.snapshot(raw));
    }
    for (const raw of messages) {
      expect(schemaDecoder.serverMessage(raw).ok).toBe(true);
      expect(shapeDecoder.serverMessage(raw)).toEqual(schemaDecoder.serverMessage(raw));
    }
    const event = { id: 'e1', type: 'click', timestamp: 5, unit: 'u', properties: { a: 1 } };
    expect(shapeDecoder.event(event)).toEqual(schemaDecoder.event(event));
    const ack = { batchId: 'b', accepted: 1 };
    expect(shapeDecoder.eventsResponse(ack)).toEqual(schemaDecoder.eventsResponse(ack));
  });

  it('gives a flag without rules an empty list, as the schema default does', () => {
    const snapshot = sampleSnapshot();
    const { rules: _rules, ...banner } = snapshot.flags.banner!;
    const decoded = shapeDecoder.snapshot({ ...snapshot, flags: { banner } });
    expect(decoded.ok && decoded.value.flags.banner!.rules).toEqual([]);
  });

  it('refuses what sync and evaluation cannot use, saying where', () => {
    expect(shapeDecoder.snapshot({ version: -1, environment: 'x' })).toMatchObject({ ok: false });
    expect(shapeDecoder.snapshot({ ...sampleSnapshot(), flags: { a: { key: 'a' } } })).toEqual({
      ok: false,
      error: 'flags.a is not a flag',
    });
    expect(shapeDecoder.serverMessage({ type: 'hello' })).toMatchObject({ ok: false });
    expect(shapeDecoder.serverMessage({ type: 'delta', from: 1, to: 2, changes: [{}] })).toEqual({
      ok: false,
      error: 'changes.0',
    });
    expect(shapeDecoder.event({ id: 1, type: 'x' })).toMatchObject({ ok: false });
    expect(shapeDecoder.eventsResponse({ batchId: 'b' })).toMatchObject({ ok: false });
  });

  it('keeps a `__proto__` key as a plain own key', () => {
    const raw = JSON.parse(
      `{"version":1,"environment":"e","flags":{},"experiments":{},"segments":{"__proto__":{"a":1}}}`,
    );
    const decoded = shapeDecoder.snapshot(raw);
    expect(decoded.ok && Object.hasOwn(decoded.value.segments, '__proto__')).toBe(true);
    expect(decoded.ok && Object.getPrototypeOf(decoded.value.segments)).toBe(Object.prototype);
  });

  it('accepts at least whatever the schema accepts, and nothing it accepts breaks a read', () => {
    const keys = [...Object.keys(rich.flags), 'missing'];
    const experiments = [...Object.keys(rich.experiments), 'missing'];
    const allPaths = paths(rich);
    fc.assert(
      fc.property(
        fc.nat(allPaths.length - 1),
        fc.oneof(fc.jsonValue(), fc.constant(undefined)),
        fc.dictionary(fc.constantFrom('userId', 'country', 'plan', 'appVersion'), fc.jsonValue()),
        (at, replacement, context) => {
          const raw = mutate(rich, allPaths[at]!, replacement);
          const shape = shapeDecoder.snapshot(raw);
          if (schemaDecoder.snapshot(raw).ok) expect(shape.ok).toBe(true);
          if (!shape.ok) return;
          const reads = createClient({ offline: true, persist: false, exposures: false });
          reads.config.replace(shape.value, 'server');
          for (const key of keys) reads.getDetails(key, context, null as never);
          for (const id of experiments) reads.getAssignment(id, context);
          reads.allFlags(context);
          void reads.close({ timeoutMs: 0 });
        },
      ),
      { numRuns: 300 },
    );
  });
});
