import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compareVersions, compileCondition, evalCondition } from '../../src/conditions';
import type { Condition } from '../../src/schema/condition';

// Small domains so that generated conditions and contexts often agree, and laws get exercised
// on matches as well as mismatches.
const scalar = fc.oneof(
  fc.constantFrom('DE', 'FR', '1', '2.0.0', '', 'beta'),
  fc.integer({ min: -2, max: 2 }),
  fc.boolean(),
  fc.constant(null),
  fc.constantFrom(new Date(Date.UTC(2024, 0, 1)), '2024-01-01T00:00:00Z'),
);
const { value } = fc.letrec<{ value: unknown }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    scalar,
    fc.array(tie('value'), { maxLength: 3 }),
    fc.dictionary(fc.constantFrom('a', 'b', 'd'), tie('value'), { maxKeys: 2 }),
  ),
}));
const context = fc.dictionary(fc.constantFrom('a', 'b', 'c'), value, { maxKeys: 3 });
const field = fc.constantFrom('a', 'b', 'c.d', 'a.0', 'a.d');

const operatorEntry: fc.Arbitrary<[string, unknown]> = fc.oneof(
  fc.tuple(fc.constantFrom('$eq', '$ne', '$gt', '$gte', '$lt', '$lte'), scalar),
  fc.tuple(
    fc.constantFrom('$in', '$nin', '$all'),
    fc.array(scalar, { minLength: 1, maxLength: 3 }),
  ),
  fc.tuple(fc.constant('$exists'), fc.boolean()),
  fc.tuple(fc.constant('$type'), fc.constantFrom('string', 'number', 'array', 'object', 'null')),
  fc.tuple(fc.constant('$regex'), fc.constantFrom('^D', 'e', '^$')),
  fc.tuple(fc.constant('$size'), fc.integer({ min: 0, max: 2 })),
  fc.tuple(fc.constant('$elemMatch'), fc.record({ $gte: fc.integer({ min: -2, max: 2 }) })),
  fc.tuple(fc.constantFrom('$veq', '$vgt', '$vlte'), fc.constantFrom('1', '2.0.0', '2.0.0-rc.1')),
);
const operatorSpec = fc
  .uniqueArray(operatorEntry, { minLength: 1, maxLength: 2, selector: ([op]) => op })
  .map((entries) => Object.fromEntries(entries) as Record<string, unknown>);
const fieldSpec = fc.oneof(
  operatorSpec,
  value,
  operatorSpec.map((spec) => ({ $not: spec })),
);

const { condition } = fc.letrec<{ condition: Condition }>((tie) => ({
  condition: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.tuple(field, fieldSpec).map(([f, spec]) => ({ [f]: spec })),
    fc.tuple(field, fieldSpec, field, fieldSpec).map(([f, s, g, t]) => ({ [f]: s, [g]: t })),
    fc
      .tuple(
        fc.constantFrom('$and', '$or', '$nor'),
        fc.array(tie('condition'), { minLength: 1, maxLength: 3 }),
      )
      .map(([op, clauses]) => ({ [op]: clauses })),
  ),
}));

const not = (c: Condition): Condition => ({ $nor: [c] });

describe('laws of the condition language', () => {
  it('$not of a field condition is its negation', () => {
    fc.assert(
      fc.property(context, field, operatorSpec, (ctx, f, spec) => {
        expect(evalCondition(ctx, { [f]: { $not: spec } })).toBe(
          !evalCondition(ctx, { [f]: spec }),
        );
      }),
    );
  });

  it('$nor is the negation of $or', () => {
    fc.assert(
      fc.property(context, fc.array(condition, { minLength: 1, maxLength: 3 }), (ctx, clauses) => {
        expect(evalCondition(ctx, { $nor: clauses })).toBe(!evalCondition(ctx, { $or: clauses }));
      }),
    );
  });

  it('$and of one condition is that condition', () => {
    fc.assert(
      fc.property(context, condition, (ctx, c) => {
        expect(evalCondition(ctx, { $and: [c] })).toBe(evalCondition(ctx, c));
        expect(evalCondition(ctx, { $or: [c] })).toBe(evalCondition(ctx, c));
      }),
    );
  });

  it('follows De Morgan', () => {
    fc.assert(
      fc.property(context, condition, condition, (ctx, c1, c2) => {
        expect(evalCondition(ctx, not({ $and: [c1, c2] }))).toBe(
          evalCondition(ctx, { $or: [not(c1), not(c2)] }),
        );
        expect(evalCondition(ctx, not({ $or: [c1, c2] }))).toBe(
          evalCondition(ctx, { $and: [not(c1), not(c2)] }),
        );
      }),
    );
  });

  it('$in: [x] is $eq: x, and $nin: [x] is $ne: x', () => {
    fc.assert(
      fc.property(context, field, value, (ctx, f, x) => {
        expect(evalCondition(ctx, { [f]: { $in: [x] } })).toBe(
          evalCondition(ctx, { [f]: { $eq: x } }),
        );
        expect(evalCondition(ctx, { [f]: { $nin: [x] } })).toBe(
          evalCondition(ctx, { [f]: { $ne: x } }),
        );
      }),
    );
  });

  it('$in is $or of $eq over the members', () => {
    fc.assert(
      fc.property(context, field, fc.array(value, { minLength: 1, maxLength: 4 }), (ctx, f, xs) => {
        const or = { $or: xs.map((x) => ({ [f]: { $eq: x } })) };
        expect(evalCondition(ctx, { [f]: { $in: xs } })).toBe(evalCondition(ctx, or));
      }),
    );
  });

  it('$ne is the negation of $eq, and $exists: false of $exists: true', () => {
    fc.assert(
      fc.property(context, field, value, (ctx, f, x) => {
        expect(evalCondition(ctx, { [f]: { $ne: x } })).toBe(
          !evalCondition(ctx, { [f]: { $eq: x } }),
        );
        expect(evalCondition(ctx, { [f]: { $exists: false } })).toBe(
          !evalCondition(ctx, { [f]: { $exists: true } }),
        );
      }),
    );
  });

  it('compileCondition agrees with evalCondition', () => {
    fc.assert(
      fc.property(context, condition, (ctx, c) => {
        expect(compileCondition(c)(ctx)).toBe(evalCondition(ctx, c));
        // A structurally equal copy compiles separately and agrees too.
        expect(evalCondition(ctx, structuredClone(c))).toBe(evalCondition(ctx, c));
      }),
    );
  });

  it('$notInSegment is the negation of $inSegment for acyclic, existing segments', () => {
    fc.assert(
      fc.property(
        context,
        fc.dictionary(fc.constantFrom('s1', 's2', 's3'), condition, { minKeys: 1 }),
        (ctx, segments) => {
          for (const key of Object.keys(segments)) {
            expect(evalCondition(ctx, { $notInSegment: key }, segments)).toBe(
              !evalCondition(ctx, { $inSegment: key }, segments),
            );
            expect(evalCondition(ctx, { $inSegment: key }, segments)).toBe(
              evalCondition(ctx, segments[key]!),
            );
          }
        },
      ),
    );
  });
});

describe('version order', () => {
  const identifier = fc.constantFrom('alpha', 'beta', 'rc', '0', '1', '2', '10', 'a-b', 'B');
  const semver = fc
    .record({
      prefix: fc.constantFrom('', 'v'),
      core: fc.array(fc.integer({ min: 0, max: 11 }), { minLength: 1, maxLength: 3 }),
      pre: fc.array(identifier, { maxLength: 3 }),
      build: fc.option(fc.constantFrom('build.1', 'sha-abc'), { nil: undefined }),
    })
    .map(
      ({ prefix, core, pre, build }) =>
        prefix +
        core.join('.') +
        (pre.length > 0 ? `-${pre.join('.')}` : '') +
        (build === undefined ? '' : `+${build}`),
    );

  it('is a total order: reflexive, antisymmetric and transitive', () => {
    fc.assert(
      fc.property(semver, semver, semver, (a, b, c) => {
        expect(compareVersions(a, a)).toBe(0);
        const ab = compareVersions(a, b)!;
        const ba = compareVersions(b, a)!;
        expect([-1, 0, 1]).toContain(ab);
        expect(ab).toBe(-ba || 0);
        const bc = compareVersions(b, c)!;
        if (ab <= 0 && bc <= 0) expect(compareVersions(a, c)!).toBeLessThanOrEqual(0);
        if (ab === 0 && bc === 0) expect(compareVersions(a, c)).toBe(0);
      }),
    );
  });

  it('agrees with the version operators', () => {
    fc.assert(
      fc.property(semver, semver, (a, b) => {
        const order = compareVersions(a, b)!;
        const is = (op: string) => evalCondition({ v: a }, { v: { [op]: b } });
        expect(is('$veq')).toBe(order === 0);
        expect(is('$vne')).toBe(order !== 0);
        expect(is('$vgt')).toBe(order > 0);
        expect(is('$vgte')).toBe(order >= 0);
        expect(is('$vlt')).toBe(order < 0);
        expect(is('$vlte')).toBe(order <= 0);
      }),
    );
  });
});

describe('evaluation never throws', () => {
  const anything = fc.anything({
    withBigInt: true,
    withBoxedValues: true,
    withDate: true,
    withMap: true,
    withNullPrototype: true,
    withObjectString: true,
    withSet: true,
    withSparseArray: true,
    withTypedArray: true,
    withUnicodeString: true,
  });
  const operatorName = fc.constantFrom(
    '$eq',
    '$ne',
    '$gt',
    '$gte',
    '$lt',
    '$lte',
    '$in',
    '$nin',
    '$exists',
    '$type',
    '$regex',
    '$options',
    '$all',
    '$elemMatch',
    '$size',
    '$not',
    '$and',
    '$or',
    '$nor',
    '$veq',
    '$vgte',
    '$inSegment',
    '$notInSegment',
    '$bogus',
    '__proto__',
    'constructor',
    'a',
    'a.b',
    'a.0',
  );
  // Conditions shaped like the language, with random operands, reach deeper than fc.anything.
  const { shaped } = fc.letrec<{ shaped: unknown }>((tie) => ({
    shaped: fc.oneof(
      { depthSize: 'small' },
      fc.jsonValue({ maxDepth: 2 }),
      fc.dictionary(operatorName, tie('shaped'), { maxKeys: 3 }),
      fc.array(tie('shaped'), { maxLength: 3 }),
    ),
  }));

  it('on arbitrary values as context, condition and segments', () => {
    fc.assert(
      fc.property(anything, anything, anything, (ctx, c, segments) => {
        expect(typeof evalCondition(ctx as never, c as never, segments as never)).toBe('boolean');
      }),
    );
  });

  it('on arbitrary JSON', () => {
    fc.assert(
      fc.property(fc.jsonValue(), fc.jsonValue(), (ctx, c) => {
        expect(typeof evalCondition(ctx as never, c as never)).toBe('boolean');
      }),
    );
  });

  it('on conditions shaped like the language', () => {
    fc.assert(
      fc.property(
        shaped,
        shaped,
        fc.dictionary(fc.constantFrom('a', 'b'), shaped),
        (ctx, c, segments) => {
          expect(typeof evalCondition(ctx as never, c as never, segments as never)).toBe('boolean');
          expect(typeof compileCondition(c as never)(ctx as never, segments as never)).toBe(
            'boolean',
          );
        },
      ),
      { numRuns: 500 },
    );
  });
});
