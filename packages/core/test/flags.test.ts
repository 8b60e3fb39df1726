import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { chooseWeighted, cumulativeWeights, position } from '../src/bucketing';
import { evaluateFlag } from '../src/flags';
import type { ConfigSnapshot, FlagConfig } from '../src/schema/config';
import { booleanFlag, experiment, snapshotOf, users } from './support/fixtures';

const rollout = (percent: number, extra: Partial<FlagConfig> = {}) =>
  booleanFlag('checkout', { rules: [{ rollout: percent, variant: 'on' }], ...extra });

describe('evaluateFlag: lookups and types', () => {
  it('returns the default with FLAG_NOT_FOUND for an unknown key', () => {
    const result = evaluateFlag(snapshotOf({}), 'nope', { userId: 'u' }, false);
    expect(result).toMatchObject({ value: false, reason: 'ERROR', errorCode: 'FLAG_NOT_FOUND' });
    expect(result.variant).toBeUndefined();
  });

  it('does not find what every object inherits', () => {
    for (const key of ['constructor', '__proto__', 'toString', 'hasOwnProperty']) {
      expect(evaluateFlag(snapshotOf({}), key, {}, 1).errorCode).toBe('FLAG_NOT_FOUND');
    }
  });

  it('returns the default with TYPE_MISMATCH when it is not of the flag type', () => {
    const snapshot = snapshotOf({ flags: [rollout(100)] });
    expect(evaluateFlag(snapshot, 'checkout', { userId: 'u' }, 'yes')).toMatchObject({
      value: 'yes',
      reason: 'ERROR',
      errorCode: 'TYPE_MISMATCH',
    });
    expect(evaluateFlag(snapshot, 'checkout', { userId: 'u' }, 0).errorCode).toBe('TYPE_MISMATCH');
  });

  it('lets a json flag take any default', () => {
    const flag: FlagConfig = {
      key: 'layout',
      salt: 'layout',
      type: 'json',
      enabled: true,
      variants: [{ key: 'grid', value: { columns: 3 } }],
      defaultVariant: 'grid',
      rules: [],
    };
    const snapshot = snapshotOf({ flags: [flag] });
    for (const fallback of [null, 1, 'x', [1], { a: 1 }, true]) {
      expect(evaluateFlag(snapshot, 'layout', {}, fallback)).toMatchObject({
        value: { columns: 3 },
        variant: 'grid',
        reason: 'DEFAULT',
      });
    }
  });

  it('serves the default variant when no rule applies', () => {
    const snapshot = snapshotOf({ flags: [booleanFlag('f')] });
    expect(evaluateFlag(snapshot, 'f', { userId: 'u' }, true)).toEqual({
      value: false,
      variant: 'off',
      reason: 'DEFAULT',
      inExperiment: false,
    });
  });
});

describe('evaluateFlag: disabled flags', () => {
  it('serves the off variant when there is one', () => {
    const snapshot = snapshotOf({ flags: [rollout(100, { enabled: false, offVariant: 'off' })] });
    expect(evaluateFlag(snapshot, 'checkout', { userId: 'u' }, true)).toEqual({
      value: false,
      variant: 'off',
      reason: 'DISABLED',
      inExperiment: false,
    });
  });

  it("serves the caller's default without a variant when there is none", () => {
    const snapshot = snapshotOf({ flags: [rollout(100, { enabled: false })] });
    const result = evaluateFlag(snapshot, 'checkout', { userId: 'u' }, true);
    expect(result).toEqual({ value: true, reason: 'DISABLED', inExperiment: false });
    expect(evaluateFlag(snapshot, 'checkout', {}).value).toBeUndefined();
  });
});

describe('evaluateFlag: rollout rules', () => {
  it('serves the rule variant to units whose rollout position is under the percent', () => {
    const snapshot = snapshotOf({ flags: [rollout(30)] });
    for (const context of users(2000)) {
      const inside = position('checkout', 'rollout', context.userId) < 0.3;
      const result = evaluateFlag(snapshot, 'checkout', context, false);
      expect(result.value).toBe(inside);
      expect(result.reason).toBe(inside ? 'SPLIT' : 'DEFAULT');
      if (inside) expect(result.ruleIndex).toBe(0);
    }
  });

  it('calls a rule with no rollout, or a rollout of 100%, a TARGETING_MATCH', () => {
    const snapshot = snapshotOf({
      flags: [
        booleanFlag('a', { rules: [{ variant: 'on' }] }),
        booleanFlag('b', { rules: [{ rollout: 100, variant: 'on' }] }),
        booleanFlag('c', { rules: [{ condition: { plan: 'pro' }, rollout: 100, variant: 'on' }] }),
      ],
    });
    for (const key of ['a', 'b', 'c']) {
      expect(evaluateFlag(snapshot, key, { userId: 'u', plan: 'pro' }, false)).toMatchObject({
        value: true,
        reason: 'TARGETING_MATCH',
        ruleIndex: 0,
      });
    }
  });

  it('keeps every unit when the rollout rises from 10% to 50%', () => {
    const at = (pct: number) => snapshotOf({ flags: [rollout(pct)] });
    const low = at(10);
    const high = at(50);
    for (const context of users(3000)) {
      if (evaluateFlag(low, 'checkout', context, false).value) {
        expect(evaluateFlag(high, 'checkout', context, false).value).toBe(true);
      }
    }
  });

  it('falls through to the next rule for units outside the rollout', () => {
    const snapshot = snapshotOf({
      flags: [
        booleanFlag('f', {
          variants: [
            { key: 'a', value: true },
            { key: 'b', value: true },
            { key: 'off', value: false },
          ],
          rules: [
            { rollout: 20, variant: 'a' },
            { rollout: 50, variant: 'b' },
          ],
        }),
      ],
    });
    const seen = new Set<string | undefined>();
    for (const context of users(500)) {
      const p = position('f', 'rollout', context.userId);
      const expected = p < 0.2 ? 'a' : p < 0.5 ? 'b' : 'off';
      const result = evaluateFlag(snapshot, 'f', context, false);
      expect(result.variant).toBe(expected);
      seen.add(result.variant);
    }
    expect(seen.size).toBe(3);
  });

  it('buckets by the flag unit attribute, numbers stringified', () => {
    const snapshot = snapshotOf({ flags: [rollout(50, { unit: 'accountId' })] });
    for (let id = 0; id < 300; id++) {
      const inside = position('checkout', 'rollout', String(id)) < 0.5;
      expect(evaluateFlag(snapshot, 'checkout', { accountId: id, userId: 'x' }, false).value).toBe(
        inside,
      );
      expect(evaluateFlag(snapshot, 'checkout', { accountId: String(id) }, false).value).toBe(
        inside,
      );
    }
  });

  it('serves the default with TARGETING_KEY_MISSING when a rule needed the missing unit', () => {
    const snapshot = snapshotOf({ flags: [rollout(50)] });
    expect(evaluateFlag(snapshot, 'checkout', { country: 'DE' }, true)).toMatchObject({
      value: false,
      variant: 'off',
      reason: 'DEFAULT',
      errorCode: 'TARGETING_KEY_MISSING',
    });
  });

  it('does not report the missing unit when a later rule served', () => {
    const snapshot = snapshotOf({
      flags: [rollout(50, { rules: [{ rollout: 50, variant: 'on' }, { variant: 'on' }] })],
    });
    const result = evaluateFlag(snapshot, 'checkout', {}, false);
    expect(result).toEqual({
      value: true,
      variant: 'on',
      reason: 'TARGETING_MATCH',
      ruleIndex: 1,
      inExperiment: false,
    });
  });

  it('orders units winner-first when the rule has an order', () => {
    const exp = experiment('exp_1', ['control', 'winner', 'other']);
    const start = 1 / 3;
    const flag = booleanFlag('w', {
      salt: 'exp_1',
      rules: [{ rollout: 20, order: { start }, variant: 'on' }],
    });
    const snapshot = snapshotOf({ flags: [flag], experiments: [exp] });
    const cumulative = cumulativeWeights([1, 1, 1]);
    for (const context of users(2000)) {
      const v = position('exp_1', 'variant', context.userId);
      const result = evaluateFlag(snapshot, 'w', context, false);
      const order = (v - start + 1) % 1;
      expect(result.value).toBe(order < 0.2);
      if (result.value) expect(chooseWeighted(cumulative, v)).toBe(1);
    }
  });
});

describe('evaluateFlag: targeting', () => {
  const snapshot = snapshotOf({
    flags: [
      booleanFlag('beta', {
        rules: [
          { condition: { country: { $in: ['DE', 'FR'] }, plan: 'pro' }, variant: 'on' },
          { condition: { $inSegment: 'staff' }, variant: 'on' },
        ],
      }),
    ],
    segments: { staff: { email: { $regex: '@example\\.com$' } } },
  });

  it('serves a rule whose condition matches', () => {
    expect(evaluateFlag(snapshot, 'beta', { country: 'DE', plan: 'pro' }, false)).toEqual({
      value: true,
      variant: 'on',
      reason: 'TARGETING_MATCH',
      ruleIndex: 0,
      inExperiment: false,
    });
  });

  it('uses the snapshot segments for $inSegment', () => {
    expect(evaluateFlag(snapshot, 'beta', { email: 'ann@example.com' }, false)).toMatchObject({
      value: true,
      ruleIndex: 1,
    });
  });

  it('skips rules whose condition does not match', () => {
    expect(evaluateFlag(snapshot, 'beta', { country: 'US', plan: 'pro' }, false)).toMatchObject({
      value: false,
      reason: 'DEFAULT',
    });
    expect(
      evaluateFlag(snapshot, 'beta', { country: 'DE', plan: 'pro' }, false).errorCode,
    ).toBeUndefined();
  });

  it('targets first, then rolls out among the matching units', () => {
    const flagged = snapshotOf({
      flags: [
        booleanFlag('t', { rules: [{ condition: { plan: 'pro' }, rollout: 50, variant: 'on' }] }),
      ],
    });
    let on = 0;
    for (const { userId } of users(4000)) {
      const pro = evaluateFlag(flagged, 't', { userId, plan: 'pro' }, false);
      const free = evaluateFlag(flagged, 't', { userId, plan: 'free' }, false);
      expect(free.value).toBe(false);
      expect(pro.value).toBe(position('t', 'rollout', userId) < 0.5);
      if (pro.value) on++;
    }
    expect(on / 4000).toBeGreaterThan(0.47);
    expect(on / 4000).toBeLessThan(0.53);
  });
});

describe('evaluateFlag: splits', () => {
  it('chooses the weighted variant with the variant position', () => {
    const flag: FlagConfig = {
      key: 'color',
      salt: 'color-salt',
      type: 'string',
      enabled: true,
      variants: ['red', 'green', 'blue'].map((c) => ({ key: c, value: c })),
      defaultVariant: 'red',
      rules: [
        {
          split: [
            { variant: 'red', weight: 50 },
            { variant: 'green', weight: 30 },
            { variant: 'blue', weight: 20 },
          ],
        },
      ],
    };
    const snapshot = snapshotOf({ flags: [flag] });
    const cumulative = cumulativeWeights([50, 30, 20]);
    for (const context of users(1000)) {
      const expected = ['red', 'green', 'blue'][
        chooseWeighted(cumulative, position('color-salt', 'variant', context.userId))
      ];
      expect(evaluateFlag(snapshot, 'color', context, '')).toMatchObject({
        value: expected,
        variant: expected,
        reason: 'SPLIT',
        ruleIndex: 0,
        inExperiment: false,
      });
    }
  });
});

describe('evaluateFlag: experiment rules', () => {
  const flag: FlagConfig = {
    key: 'onboarding',
    salt: 'onboarding',
    type: 'string',
    enabled: true,
    variants: [
      { key: 'control', value: 'classic' },
      { key: 'off', value: 'classic' },
    ],
    defaultVariant: 'off',
    rules: [{ experiment: 'exp_onb' }],
  };

  it('serves the flag variant named like the assigned one, else its experiment value', () => {
    const snapshot = snapshotOf({
      flags: [flag],
      experiments: [experiment('exp_onb', ['control', 'simplified'])],
    });
    const seen = new Set<string>();
    for (const context of users(200)) {
      const result = evaluateFlag(snapshot, 'onboarding', context, '');
      const v = position('exp_onb', 'variant', context.userId) < 0.5 ? 'control' : 'simplified';
      expect(result).toEqual({
        value: v === 'control' ? 'classic' : 'SIMPLIFIED',
        variant: v,
        reason: 'SPLIT',
        ruleIndex: 0,
        experiment: 'exp_onb',
        inExperiment: true,
      });
      seen.add(v);
    }
    expect(seen.size).toBe(2);
  });

  it('serves a concluded experiment’s winner to everyone, outside the experiment', () => {
    const snapshot = snapshotOf({
      flags: [flag],
      experiments: [
        experiment('exp_onb', ['control', 'simplified'], {
          status: 'Concluded',
          winner: 'simplified',
        }),
      ],
    });
    for (const context of [...users(50), {}]) {
      expect(evaluateFlag(snapshot, 'onboarding', context, '')).toEqual({
        value: 'SIMPLIFIED',
        variant: 'simplified',
        reason: 'TARGETING_MATCH',
        ruleIndex: 0,
        experiment: 'exp_onb',
        inExperiment: false,
      });
    }
  });

  it('lets units the experiment does not assign fall through', () => {
    for (const exp of [
      experiment('exp_onb', ['control', 'simplified'], { status: 'Paused' }),
      experiment('exp_onb', ['control', 'simplified'], { audience: { country: 'DE' } }),
      experiment('exp_onb', ['control', 'simplified'], { trafficAllocation: 0 }),
    ]) {
      const snapshot = snapshotOf({ flags: [flag], experiments: [exp] });
      expect(evaluateFlag(snapshot, 'onboarding', { userId: 'u1', country: 'FR' }, '')).toEqual({
        value: 'classic',
        variant: 'off',
        reason: 'DEFAULT',
        inExperiment: false,
      });
    }
    const gone = snapshotOf({ flags: [flag] });
    expect(evaluateFlag(gone, 'onboarding', { userId: 'u1' }, '').reason).toBe('DEFAULT');
  });

  it('reports TARGETING_KEY_MISSING when the experiment found no unit', () => {
    const snapshot = snapshotOf({
      flags: [flag],
      experiments: [experiment('exp_onb', ['control', 'simplified'], { unit: 'deviceId' })],
    });
    const result = evaluateFlag(snapshot, 'onboarding', { userId: 'u1' }, '');
    expect(result).toMatchObject({
      variant: 'off',
      reason: 'DEFAULT',
      errorCode: 'TARGETING_KEY_MISSING',
    });
    expect(result.errorMessage).toContain('deviceId');
  });

  it('gives INVALID_CONFIG when the assigned variant has no value of the flag type', () => {
    const exp = experiment('exp_onb', ['control', 'simplified']);
    const noValues = { ...exp, variants: exp.variants.map(({ key, weight }) => ({ key, weight })) };
    const snapshot = snapshotOf({ flags: [flag], experiments: [noValues] });
    const results = users(100).map((c) => evaluateFlag(snapshot, 'onboarding', c, 'fallback'));
    expect(results.some((r) => r.reason === 'ERROR')).toBe(true);
    for (const r of results.filter((r) => r.reason === 'ERROR')) {
      expect(r).toMatchObject({ value: 'fallback', errorCode: 'INVALID_CONFIG' });
    }
  });
});

describe('evaluateFlag: prerequisites', () => {
  const base = (
    key: string,
    prerequisites: FlagConfig['prerequisites'],
    extra: Partial<FlagConfig> = {},
  ) => booleanFlag(key, { rules: [{ variant: 'on' }], offVariant: 'off', prerequisites, ...extra });

  it('evaluates the flag when each prerequisite serves a listed variant', () => {
    const snapshot = snapshotOf({
      flags: [base('child', [{ flag: 'parent', variants: ['on'] }]), base('parent', undefined)],
    });
    expect(evaluateFlag(snapshot, 'child', { userId: 'u' }, false)).toMatchObject({
      value: true,
      reason: 'TARGETING_MATCH',
    });
  });

  it('serves the flag as disabled with PREREQUISITE_FAILED when one is not met', () => {
    for (const parent of [
      base('parent', undefined, { enabled: false }),
      base('parent', undefined, { rules: [] }),
      undefined,
    ]) {
      const snapshot = snapshotOf({
        flags: [base('child', [{ flag: 'parent', variants: ['on'] }]), ...(parent ? [parent] : [])],
      });
      expect(evaluateFlag(snapshot, 'child', { userId: 'u' }, true)).toMatchObject({
        value: false,
        variant: 'off',
        reason: 'DISABLED',
        errorCode: 'PREREQUISITE_FAILED',
      });
    }
  });

  it('follows prerequisites of prerequisites, and shares them in a diamond', () => {
    const snapshot = snapshotOf({
      flags: [
        base('top', [
          { flag: 'left', variants: ['on'] },
          { flag: 'right', variants: ['on'] },
        ]),
        base('left', [{ flag: 'bottom', variants: ['on'] }]),
        base('right', [{ flag: 'bottom', variants: ['on'] }]),
        base('bottom', undefined, { rules: [{ condition: { plan: 'pro' }, variant: 'on' }] }),
      ],
    });
    expect(evaluateFlag(snapshot, 'top', { plan: 'pro' }, false).value).toBe(true);
    expect(evaluateFlag(snapshot, 'top', { plan: 'free' }, false)).toMatchObject({
      value: false,
      errorCode: 'PREREQUISITE_FAILED',
    });
  });

  it('reports PREREQUISITE_CYCLE for a cycle, with the default value', () => {
    const snapshot = snapshotOf({
      flags: [
        base('a', [{ flag: 'b', variants: ['on'] }]),
        base('b', [{ flag: 'c', variants: ['on'] }]),
        base('c', [{ flag: 'a', variants: ['on'] }]),
        base('self', [{ flag: 'self', variants: ['on'] }]),
      ],
    });
    for (const key of ['a', 'b', 'c', 'self']) {
      expect(evaluateFlag(snapshot, key, {}, true)).toMatchObject({
        value: true,
        reason: 'ERROR',
        errorCode: 'PREREQUISITE_CYCLE',
      });
    }
  });

  it('walks a chain of 20,000 prerequisites without overflowing the stack', () => {
    const flags = Array.from({ length: 20_000 }, (_, i) =>
      base(`f${i}`, i + 1 < 20_000 ? [{ flag: `f${i + 1}`, variants: ['on'] }] : undefined),
    );
    const snapshot = snapshotOf({ flags });
    expect(evaluateFlag(snapshot, 'f0', {}, false)).toMatchObject({
      value: true,
      reason: 'TARGETING_MATCH',
    });
    const cyclic = snapshotOf({
      flags: [...flags.slice(0, -1), base('f19999', [{ flag: 'f0', variants: ['on'] }])],
    });
    expect(evaluateFlag(cyclic, 'f0', {}, false).errorCode).toBe('PREREQUISITE_CYCLE');
  });
});

describe('evaluateFlag: broken configs never throw', () => {
  it('gives INVALID_CONFIG for a variant that is referenced but not defined', () => {
    const snapshot = snapshotOf({
      flags: [
        booleanFlag('a', { rules: [{ variant: 'ghost' }] }),
        booleanFlag('b', { defaultVariant: 'ghost' }),
        booleanFlag('c', { enabled: false, offVariant: 'ghost' }),
        booleanFlag('d', { rules: [{ split: [{ variant: 'ghost', weight: 1 }] }] }),
        booleanFlag('e', { variants: [{ key: 'off', value: 'not a boolean' }] }),
      ],
    });
    for (const key of ['a', 'b', 'c', 'd', 'e']) {
      expect(evaluateFlag(snapshot, key, { userId: 'u' }, true)).toMatchObject({
        value: true,
        reason: 'ERROR',
        errorCode: 'INVALID_CONFIG',
      });
    }
  });

  it('returns the default with GENERAL for garbage snapshots and contexts', () => {
    const garbage = [
      undefined,
      null,
      {},
      { flags: null },
      { flags: { f: { key: 'f', enabled: true, rules: 5 } } },
      { flags: { f: { key: 'f', salt: 'f', type: 'boolean', enabled: true, variants: null } } },
    ] as unknown as ConfigSnapshot[];
    for (const snapshot of garbage) {
      const result = evaluateFlag(snapshot, 'f', { userId: 'u' }, true);
      expect(result.value).toBe(true);
      expect(result.reason).toBe('ERROR');
    }
    const ok = snapshotOf({ flags: [rollout(50)] });
    expect(evaluateFlag(ok, 'checkout', null as never, true)).toMatchObject({
      value: true,
      reason: 'ERROR',
    });
  });

  it('never throws, whatever the flag and context', () => {
    const json = fc.jsonValue({ maxDepth: 3 });
    fc.assert(
      fc.property(
        fc.record(
          { key: fc.string(), enabled: fc.boolean(), rules: json, variants: json, type: json },
          { requiredKeys: [] },
        ),
        fc.dictionary(fc.string(), json),
        (flag, context) => {
          const snapshot = {
            version: 1,
            environment: 't',
            flags: { f: { ...flag, key: 'f', salt: 'f' } },
            experiments: {},
            segments: {},
          } as unknown as ConfigSnapshot;
          const result = evaluateFlag(snapshot, 'f', context, null);
          return typeof result.reason === 'string';
        },
      ),
    );
  });
});
