/**
 * The three cases, defined equivalently for Switchyard, GrowthBook and Unleash:
 * (a) a boolean flag at a 50% rollout; (b) a rule with three targeting conditions, then a 50%
 * rollout; (c) a three-arm experiment with equal weights.
 */
import type { FeatureApiResponse } from '@growthbook/growthbook';
import type { ConfigSnapshot } from '@switchyard/core';
import type { ClientFeaturesResponse } from 'unleash-client';

export const ROLLOUT_KEY = 'new-checkout';
export const TARGETED_KEY = 'beta-dashboard';
export const EXPERIMENT_KEY = 'onboarding-flow';
export const ARMS = ['control', 'simplified', 'guided'] as const;

const onOff = [
  { key: 'on', value: true },
  { key: 'off', value: false },
];

export const switchyardSnapshot: ConfigSnapshot = {
  version: 1,
  environment: 'bench',
  flags: {
    [ROLLOUT_KEY]: {
      key: ROLLOUT_KEY,
      salt: ROLLOUT_KEY,
      type: 'boolean',
      enabled: true,
      variants: onOff,
      defaultVariant: 'off',
      rules: [{ rollout: 50, variant: 'on' }],
    },
    [TARGETED_KEY]: {
      key: TARGETED_KEY,
      salt: TARGETED_KEY,
      type: 'boolean',
      enabled: true,
      variants: onOff,
      defaultVariant: 'off',
      rules: [
        {
          condition: { country: { $in: ['DE', 'FR'] }, plan: 'pro', age: { $gte: 18 } },
          rollout: 50,
          variant: 'on',
        },
      ],
    },
    [EXPERIMENT_KEY]: {
      key: EXPERIMENT_KEY,
      salt: EXPERIMENT_KEY,
      type: 'string',
      enabled: true,
      variants: [...ARMS.map((key) => ({ key, value: key })), { key: 'none', value: 'none' }],
      defaultVariant: 'none',
      rules: [{ experiment: 'experiment_onb' }],
    },
  },
  experiments: {
    experiment_onb: {
      id: 'experiment_onb',
      salt: 'experiment_onb',
      status: 'Running',
      variants: ARMS.map((key) => ({ key, weight: 1 })),
    },
  },
  segments: {},
};

export const growthbookPayload: FeatureApiResponse = {
  features: {
    [ROLLOUT_KEY]: { defaultValue: false, rules: [{ force: true, coverage: 0.5 }] },
    [TARGETED_KEY]: {
      defaultValue: false,
      rules: [
        {
          condition: { country: { $in: ['DE', 'FR'] }, plan: 'pro', age: { $gte: 18 } },
          force: true,
          coverage: 0.5,
        },
      ],
    },
    [EXPERIMENT_KEY]: {
      defaultValue: 'none',
      rules: [
        {
          key: 'experiment_onb',
          variations: [...ARMS],
          weights: [1 / 3, 1 / 3, 1 / 3],
          coverage: 1,
          hashAttribute: 'id',
        },
      ],
    },
  },
};

const flexibleRollout = (groupId: string, rollout: number) => ({
  name: 'flexibleRollout',
  parameters: { rollout: String(rollout), stickiness: 'userId', groupId },
  constraints: [] as unknown[],
});

export const unleashFeatures = [
  { name: ROLLOUT_KEY, enabled: true, strategies: [flexibleRollout(ROLLOUT_KEY, 50)] },
  {
    name: TARGETED_KEY,
    enabled: true,
    strategies: [
      {
        ...flexibleRollout(TARGETED_KEY, 50),
        constraints: [
          { contextName: 'country', operator: 'IN', values: ['DE', 'FR'], inverted: false },
          { contextName: 'plan', operator: 'IN', values: ['pro'], inverted: false },
          { contextName: 'age', operator: 'NUM_GTE', value: '18', values: [], inverted: false },
        ],
      },
    ],
  },
  {
    name: EXPERIMENT_KEY,
    enabled: true,
    strategies: [flexibleRollout(EXPERIMENT_KEY, 100)],
    variants: ARMS.map((name, i) => ({
      name,
      weight: i === 0 ? 334 : 333,
      weightType: 'variable',
      stickiness: 'userId',
    })),
  },
] as unknown as ClientFeaturesResponse['features'];
