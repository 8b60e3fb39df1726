/**
 * Builds packages/core/test-vectors.json, the conformance cases every SDK and the server run.
 * Every expected value is derived here from the `murmurhash` package (the oracle) and the
 * formulas of the bucketing contract, never from core's own implementation, so the file
 * checks core as much as it checks the others. Regenerate with
 * `pnpm exec tsx packages/core/scripts/write-test-vectors.ts`.
 */
import murmurhash from 'murmurhash';
import type { JsonValue } from '../src/schema/condition';
import type { ConfigSnapshot, ExperimentConfig, FlagConfig } from '../src/schema/config';
import type { EvaluationContext } from '../src/types';
import { booleanFlag } from '../test/support/fixtures';

const oracleHash = (s: string): number => murmurhash.v3(s);
const oraclePosition = (salt: string, purpose: string, unit: string): number =>
  oracleHash(`${salt}:${purpose}:${unit}`) / 2 ** 32;

function utf8Hex(s: string): string {
  // The oracle's own encoder is TextEncoder; the hex lets other languages check their encoding.
  return [...new TextEncoder().encode(s)].map((b) => b.toString(16).padStart(2, '0')).join('');
}

function cumulative(weights: readonly number[]): number[] {
  const total = weights.reduce((a, b) => a + b, 0);
  let sum = 0;
  const out = weights.map((w) => (sum += w) / total);
  out[out.length - 1] = 1;
  return out;
}

function weightedIndex(weights: readonly number[], p: number): number {
  const c = cumulative(weights);
  const i = c.findIndex((x) => p < x);
  return i < 0 ? c.length - 1 : i;
}

const admits = (p: number, percent: number): boolean => percent >= 100 || p < percent / 100;
const winnerFirst = (v: number, start: number): number =>
  v - start < 0 ? v - start + 1 : v - start;

const HASH_INPUTS = [
  '',
  'a',
  'ab',
  'abc',
  'abcd',
  'abcde',
  'hello',
  'The quick brown fox jumps over the lazy dog',
  'café',
  'straße',
  'Ünïcødé',
  'Ωμέγα',
  '日本語',
  '用户-42',
  '한국어 사용자',
  '😀',
  'a😀b',
  '👨‍👩‍👧',
  '🇩🇪🇫🇷',
  'checkout:rollout:user-123',
  'x'.repeat(31),
  'x'.repeat(64),
  'é'.repeat(33),
  '日本'.repeat(25),
  '😀a'.repeat(30),
  'unit-ünïcødé-日本語-😀-'.repeat(8),
];

/**
 * Strings with lone surrogates. Many JSON parsers (vite's among them) reject an escaped lone
 * surrogate, so these are written as UTF-16 code units (`inputCodeUnits`), not as `input`.
 */
const LONE_SURROGATE_INPUTS = [
  '\ud800',
  '\udfff',
  'x\ud83dy',
  '\ude00\ud83d',
  'ab\ud83d',
  'lone-\ud800-unit',
];

const UNITS = [
  'user-1',
  'user-42',
  'user-1000',
  '12345',
  'ünïcødé',
  '日本語ユーザー',
  '😀',
  'a😀b',
  'ann@example.com',
  ...Array.from({ length: 10 }, (_, i) => `u${i * 7919}`),
];

type Expected = {
  value?: JsonValue;
  variant?: string;
  reason: string;
  ruleIndex?: number;
  experiment?: string;
  errorCode?: string;
  inExperiment: boolean;
};

const bool = (key: string, rules: FlagConfig['rules'], extra: Partial<FlagConfig> = {}) =>
  booleanFlag(key, { rules, ...extra });

const experiments: ExperimentConfig[] = [
  {
    id: 'exp_3arms',
    salt: 'exp_3arms',
    status: 'Running',
    variants: [
      { key: 'a', weight: 1, value: 'A' },
      { key: 'b', weight: 1, value: 'B' },
      { key: 'c', weight: 1, value: 'C' },
    ],
  },
  {
    id: 'exp_layered',
    salt: 'salt-layered',
    status: 'Running',
    unit: 'deviceId',
    audience: { country: { $in: ['DE', 'FR'] } },
    layer: { id: 'layer-checkout', start: 0.2, end: 0.8 },
    trafficAllocation: 60,
    variants: [
      { key: 'control', weight: 70 },
      { key: 'treatment', weight: 30 },
    ],
  },
  {
    id: 'exp_paused',
    salt: 'exp_paused',
    status: 'Paused',
    variants: [
      { key: 'a', weight: 1 },
      { key: 'b', weight: 1 },
    ],
  },
  {
    id: 'exp_done',
    salt: 'exp_done',
    status: 'Concluded',
    winner: 'treatment',
    variants: [
      { key: 'control', weight: 50, value: 'old' },
      { key: 'treatment', weight: 50, value: 'new' },
    ],
  },
];

const TARGETING = { country: { $in: ['DE', 'FR'] }, plan: 'pro', age: { $gte: 18 } };
const flags: FlagConfig[] = [
  bool('rollout-50', [{ rollout: 50, variant: 'on' }]),
  bool('targeted', [{ condition: TARGETING, rollout: 50, variant: 'on' }]),
  {
    key: 'split-3',
    salt: 'split-salt',
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
  },
  {
    key: 'exp-flag',
    salt: 'exp-flag',
    type: 'string',
    enabled: true,
    variants: [
      { key: 'a', value: 'flag-A' },
      { key: 'none', value: 'none' },
    ],
    defaultVariant: 'none',
    rules: [{ experiment: 'exp_3arms' }],
  },
  bool('winner-rollout', [{ rollout: 30, order: { start: 0.5 }, variant: 'on' }], {
    salt: 'exp_done',
  }),
  {
    key: 'concluded-flag',
    salt: 'concluded-flag',
    type: 'string',
    enabled: true,
    variants: [{ key: 'control', value: 'old' }],
    defaultVariant: 'control',
    rules: [{ experiment: 'exp_done' }],
  },
  bool('disabled-off', [{ variant: 'on' }], { enabled: false, offVariant: 'off' }),
  bool('disabled-no-off', [{ variant: 'on' }], { enabled: false }),
  bool('prereq-child', [{ variant: 'on' }], {
    offVariant: 'off',
    prerequisites: [{ flag: 'rollout-50', variants: ['on'] }],
  }),
  bool('cycle-a', [], { prerequisites: [{ flag: 'cycle-b', variants: ['on'] }] }),
  bool('cycle-b', [], { prerequisites: [{ flag: 'cycle-a', variants: ['on'] }] }),
  bool('account-unit', [{ rollout: 50, variant: 'on' }], { unit: 'accountId' }),
  bool('broken', [{ variant: 'ghost' }]),
];

const snapshot: ConfigSnapshot = {
  version: 1,
  environment: 'test-vectors',
  flags: Object.fromEntries(flags.map((f) => [f.key, f])),
  experiments: Object.fromEntries(experiments.map((e) => [e.id, e])),
  segments: {},
};

interface FlagCase {
  flag: string;
  context: EvaluationContext;
  defaultValue?: JsonValue;
  expected: Expected;
}

const served = (value: JsonValue, variant: string, reason: string, ruleIndex?: number): Expected =>
  ruleIndex === undefined
    ? { value, variant, reason, inExperiment: false }
    : { value, variant, reason, ruleIndex, inExperiment: false };
const error = (value: JsonValue | undefined, errorCode: string): Expected =>
  value === undefined
    ? { reason: 'ERROR', errorCode, inExperiment: false }
    : { value, reason: 'ERROR', errorCode, inExperiment: false };

function flagCases(): FlagCase[] {
  const cases: FlagCase[] = [];
  const rollout50 = (unit: string): Expected =>
    oraclePosition('rollout-50', 'rollout', unit) < 0.5
      ? served(true, 'on', 'SPLIT', 0)
      : served(false, 'off', 'DEFAULT');
  for (const unit of UNITS) {
    cases.push({
      flag: 'rollout-50',
      context: { userId: unit },
      defaultValue: false,
      expected: rollout50(unit),
    });
  }
  cases.push({
    flag: 'rollout-50',
    context: { country: 'DE' },
    defaultValue: false,
    expected: { ...served(false, 'off', 'DEFAULT'), errorCode: 'TARGETING_KEY_MISSING' },
  });
  const people = [
    { country: 'DE', plan: 'pro', age: 30 },
    { country: 'FR', plan: 'pro', age: 18 },
    { country: 'US', plan: 'pro', age: 30 },
    { country: 'DE', plan: 'free', age: 30 },
    { country: 'DE', plan: 'pro', age: 17 },
  ];
  UNITS.slice(0, 10).forEach((unit, i) => {
    const person = people[i % people.length]!;
    const matches =
      ['DE', 'FR'].includes(person.country) && person.plan === 'pro' && person.age >= 18;
    const inside = matches && oraclePosition('targeted', 'rollout', unit) < 0.5;
    cases.push({
      flag: 'targeted',
      context: { userId: unit, ...person },
      defaultValue: false,
      expected: inside ? served(true, 'on', 'SPLIT', 0) : served(false, 'off', 'DEFAULT'),
    });
  });
  for (const unit of UNITS.slice(0, 12)) {
    const color = ['red', 'green', 'blue'][
      weightedIndex([50, 30, 20], oraclePosition('split-salt', 'variant', unit))
    ]!;
    cases.push({
      flag: 'split-3',
      context: { userId: unit },
      defaultValue: '',
      expected: served(color, color, 'SPLIT', 0),
    });
  }
  for (const unit of UNITS.slice(0, 12)) {
    const arm = ['a', 'b', 'c'][
      weightedIndex([1, 1, 1], oraclePosition('exp_3arms', 'variant', unit))
    ]!;
    cases.push({
      flag: 'exp-flag',
      context: { userId: unit },
      defaultValue: '',
      expected: {
        value: arm === 'a' ? 'flag-A' : arm.toUpperCase(),
        variant: arm,
        reason: 'SPLIT',
        ruleIndex: 0,
        experiment: 'exp_3arms',
        inExperiment: true,
      },
    });
  }
  for (const unit of UNITS) {
    const order = winnerFirst(oraclePosition('exp_done', 'variant', unit), 0.5);
    cases.push({
      flag: 'winner-rollout',
      context: { userId: unit },
      defaultValue: false,
      expected: order < 0.3 ? served(true, 'on', 'SPLIT', 0) : served(false, 'off', 'DEFAULT'),
    });
  }
  cases.push({
    flag: 'concluded-flag',
    context: { userId: 'user-1' },
    defaultValue: '',
    expected: { ...served('new', 'treatment', 'TARGETING_MATCH', 0), experiment: 'exp_done' },
  });
  cases.push({
    flag: 'disabled-off',
    context: { userId: 'user-1' },
    defaultValue: true,
    expected: served(false, 'off', 'DISABLED'),
  });
  cases.push({
    flag: 'disabled-no-off',
    context: { userId: 'user-1' },
    defaultValue: true,
    expected: { value: true, reason: 'DISABLED', inExperiment: false },
  });
  for (const unit of UNITS.slice(0, 6)) {
    const met = oraclePosition('rollout-50', 'rollout', unit) < 0.5;
    cases.push({
      flag: 'prereq-child',
      context: { userId: unit },
      defaultValue: false,
      expected: met
        ? served(true, 'on', 'TARGETING_MATCH', 0)
        : { ...served(false, 'off', 'DISABLED'), errorCode: 'PREREQUISITE_FAILED' },
    });
  }
  cases.push({
    flag: 'cycle-a',
    context: { userId: 'user-1' },
    defaultValue: true,
    expected: error(true, 'PREREQUISITE_CYCLE'),
  });
  for (const accountId of [7, 42, 1234567, 'acct-9']) {
    const inside = oraclePosition('account-unit', 'rollout', String(accountId)) < 0.5;
    cases.push({
      flag: 'account-unit',
      context: { accountId, userId: 'ignored' },
      defaultValue: false,
      expected: inside ? served(true, 'on', 'SPLIT', 0) : served(false, 'off', 'DEFAULT'),
    });
  }
  cases.push({
    flag: 'broken',
    context: { userId: 'user-1' },
    defaultValue: true,
    expected: error(true, 'INVALID_CONFIG'),
  });
  cases.push({
    flag: 'missing',
    context: { userId: 'user-1' },
    defaultValue: 'x',
    expected: error('x', 'FLAG_NOT_FOUND'),
  });
  cases.push({
    flag: 'missing',
    context: { userId: 'user-1' },
    expected: error(undefined, 'FLAG_NOT_FOUND'),
  });
  cases.push({
    flag: 'rollout-50',
    context: { userId: 'user-1' },
    defaultValue: 'yes',
    expected: error('yes', 'TYPE_MISMATCH'),
  });
  return cases;
}

interface ExperimentCase {
  experiment: string;
  context: EvaluationContext;
  expected: {
    variant: string | null;
    value?: JsonValue;
    reason: string;
    inExperiment: boolean;
    unit?: string;
  };
}

function experimentCases(): ExperimentCase[] {
  const cases: ExperimentCase[] = [];
  for (const unit of UNITS) {
    const arm = ['a', 'b', 'c'][
      weightedIndex([1, 1, 1], oraclePosition('exp_3arms', 'variant', unit))
    ]!;
    cases.push({
      experiment: 'exp_3arms',
      context: { userId: unit },
      expected: {
        variant: arm,
        value: arm.toUpperCase(),
        reason: 'ASSIGNED',
        inExperiment: true,
        unit,
      },
    });
  }
  for (const deviceId of UNITS) {
    const layer = oraclePosition('layer-checkout', 'layer', deviceId);
    const traffic = oraclePosition('salt-layered', 'traffic', deviceId);
    const reason = !(layer >= 0.2 && layer < 0.8)
      ? 'LAYER_MISMATCH'
      : !admits(traffic, 60)
        ? 'TRAFFIC_EXCLUDED'
        : 'ASSIGNED';
    const variant =
      reason === 'ASSIGNED'
        ? ['control', 'treatment'][
            weightedIndex([70, 30], oraclePosition('salt-layered', 'variant', deviceId))
          ]!
        : null;
    cases.push({
      experiment: 'exp_layered',
      context: { deviceId, country: 'DE' },
      expected: { variant, reason, inExperiment: reason === 'ASSIGNED', unit: deviceId },
    });
  }
  cases.push({
    experiment: 'exp_layered',
    context: { deviceId: 'd1', country: 'US' },
    expected: { variant: null, reason: 'AUDIENCE_MISMATCH', inExperiment: false, unit: 'd1' },
  });
  cases.push({
    experiment: 'exp_layered',
    context: { userId: 'u1', country: 'DE' },
    expected: { variant: null, reason: 'NO_UNIT', inExperiment: false },
  });
  cases.push({
    experiment: 'exp_paused',
    context: { userId: 'user-1' },
    expected: { variant: null, reason: 'NOT_RUNNING', inExperiment: false },
  });
  cases.push({
    experiment: 'exp_done',
    context: {},
    expected: { variant: 'treatment', value: 'new', reason: 'WINNER', inExperiment: false },
  });
  cases.push({
    experiment: 'missing',
    context: { userId: 'user-1' },
    expected: { variant: null, reason: 'NOT_FOUND', inExperiment: false },
  });
  return cases;
}

/** The whole conformance file, as a JSON-ready object. */
export function buildTestVectors() {
  const variantWeights = [
    [1, 1],
    [50, 50],
    [1, 1, 1],
    [50, 30, 20],
    [10, 90],
    [5, 5, 10, 80],
  ];
  const winners = [
    { salt: 'exp_onb', weights: [50, 50], winner: 1 },
    { salt: 'exp_three', weights: [1, 1, 1], winner: 2 },
    { salt: 'exp_skewed', weights: [70, 20, 10], winner: 1 },
  ];
  const layerRanges = [
    { id: 'e1', start: 0, end: 0.25 },
    { id: 'e2', start: 0.25, end: 0.7 },
    { id: 'e3', start: 0.7, end: 1 },
  ];
  return {
    $comment: [
      'Switchyard bucketing conformance vectors. Every SDK and the server must reproduce each case exactly.',
      'hash: MurmurHash3 x86 32-bit, seed 0, over the UTF-8 bytes of input (a lone surrogate is U+FFFD, EF BF BD); utf8 is those bytes in hex; output is unsigned.',
      'Inputs with lone surrogates are given as inputCodeUnits (UTF-16 code units) instead of input, since many JSON parsers reject them; a language without UTF-16 strings checks utf8 only.',
      "position: hash(salt + ':' + purpose + ':' + unit) / 2^32, a double in [0, 1).",
      'rollout: in iff percent >= 100 or position(salt, "rollout", unit) < percent / 100.',
      'variant: cumulative weights c[i] = (w[0] + ... + w[i]) / total with the last set to exactly 1; index = first i with position(salt, "variant", unit) < c[i].',
      'winnerFirst: rolloutPosition = (position(salt, "variant", unit) - winnerStart) mod 1 (add 1 when negative); in iff percent >= 100 or rolloutPosition < percent / 100.',
      'layer: position(layer, "layer", unit); member = the range with start <= position < end, or null.',
      "unit: the context attribute named by the flag's or experiment's unit (default userId); a string as is (empty = no unit), a finite number as JavaScript's String(n) (42 -> '42').",
      'evaluateFlag / assignExperiment: run each case against evaluation.snapshot; compare only the fields present in expected (an absent field must be absent or undefined); errorMessage is not compared.',
      'Generated by packages/core/scripts/write-test-vectors.ts from the murmurhash package (the oracle), never by hand.',
    ],
    hash: [
      ...HASH_INPUTS.map((input) => ({ input, utf8: utf8Hex(input), output: oracleHash(input) })),
      ...LONE_SURROGATE_INPUTS.map((input) => ({
        inputCodeUnits: Array.from({ length: input.length }, (_, i) => input.charCodeAt(i)),
        utf8: utf8Hex(input),
        output: oracleHash(input),
      })),
    ],
    position: UNITS.flatMap((unit) =>
      ['rollout', 'variant', 'traffic', 'layer'].map((purpose) => ({
        salt: 'new-checkout',
        purpose,
        unit,
        hash: oracleHash(`new-checkout:${purpose}:${unit}`),
        position: oraclePosition('new-checkout', purpose, unit),
      })),
    ),
    rollout: UNITS.flatMap((unit) =>
      [0, 1, 10, 25, 33.3, 50, 99.9, 100].map((percent) => {
        const position = oraclePosition('new-checkout', 'rollout', unit);
        return { salt: 'new-checkout', unit, percent, position, in: admits(position, percent) };
      }),
    ),
    variant: variantWeights.flatMap((weights) =>
      UNITS.map((unit) => {
        const position = oraclePosition('exp_variants', 'variant', unit);
        return {
          salt: 'exp_variants',
          unit,
          weights,
          position,
          index: weightedIndex(weights, position),
        };
      }),
    ),
    winnerFirst: winners.flatMap(({ salt, weights, winner }) => {
      const c = cumulative(weights);
      const winnerStart = winner === 0 ? 0 : c[winner - 1]!;
      return UNITS.flatMap((unit) => {
        const variantPosition = oraclePosition(salt, 'variant', unit);
        const rolloutPosition = winnerFirst(variantPosition, winnerStart);
        return [10, 33.3, 50, 100].map((percent) => ({
          salt,
          unit,
          weights,
          winner,
          winnerStart,
          percent,
          variantPosition,
          rolloutPosition,
          in: admits(rolloutPosition, percent),
        }));
      });
    }),
    layer: UNITS.map((unit) => {
      const position = oraclePosition('layer-checkout', 'layer', unit);
      const member = layerRanges.find((r) => position >= r.start && position < r.end)?.id ?? null;
      return { layer: 'layer-checkout', unit, ranges: layerRanges, position, member };
    }),
    evaluation: {
      snapshot,
      evaluateFlag: flagCases(),
      assignExperiment: experimentCases(),
    },
  };
}

/** The shape of test-vectors.json. */
export type TestVectors = ReturnType<typeof buildTestVectors>;
