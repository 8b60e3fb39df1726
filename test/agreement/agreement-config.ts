import type { Context } from '@switchyard/server';
import type { ReadingPlan } from './readings';

/** What the agreement test reads, per view. */
export interface AgreementConfig {
  /** Everything a client key sees: read on every path. */
  plan: ReadingPlan;
  /** serverOnly flags: read by the server and Node (server key) and absent from the browser. */
  serverOnly: ReadingPlan['flags'];
}

/**
 * A realistic config made through the verbs, as a team would: a rollout, targeting with a
 * split, a running three-arm experiment and the flag that delegates to it, a concluded
 * experiment's winner rolled out winner-first, saved segments, and a serverOnly flag.
 * Conditions name non-ASCII values, and one rule matches U+FFFD, so a path that replaced a
 * lone surrogate in a unit id would disagree.
 */
export async function createAgreementConfig($: Context): Promise<AgreementConfig> {
  await $.Segment.create({
    key: 'dach-pro',
    condition: { country: { $in: ['DE', 'AT', 'CH'] }, plan: 'pro' },
  });
  await $.Segment.create({
    key: 'beta-testers',
    condition: { $or: [{ email: { $regex: '@example\\.org$' } }, { 'org.tier': 'Enterprise' }] },
  });

  // A boolean flag at 37%.
  await $.FeatureFlag.create({ key: 'new-checkout', rolloutPercent: 37, enabled: true });

  // Targeting rules, a weighted split for a segment, and non-ASCII conditions.
  await $.FeatureFlag.create({
    key: 'pricing-page',
    variants: [
      { key: 'classic', value: 'classic' },
      { key: 'annual-first', value: 'annual-first' },
      { key: 'tiered', value: 'tiered' },
      { key: 'probe', value: 'replacement-char' },
    ],
    default: 'classic',
    rules: [
      { condition: { userId: { $regex: '\uFFFD' } }, variant: 'probe' },
      {
        condition: { country: { $in: ['FR', 'BE'] }, appVersion: { $vgte: '2.3.0' } },
        variant: 'tiered',
      },
      {
        condition: { $inSegment: 'dach-pro' },
        split: [
          { variant: 'annual-first', weight: 3 },
          { variant: 'tiered', weight: 1 },
        ],
      },
      // NFC Zürich only: the NFD spelling in some contexts must not match anywhere.
      {
        condition: { city: { $in: ['Z\u00fcrich', '\u6771\u4eac'] } },
        variant: 'annual-first',
        rollout: 60,
      },
    ],
    enabled: true,
  });

  // A number flag: a segment rule, then a split for everyone else.
  await $.FeatureFlag.create({
    key: 'discount-percent',
    variants: [
      { key: 'none', value: 0 },
      { key: 'small', value: 5 },
      { key: 'large', value: 15 },
    ],
    default: 'none',
    rules: [
      { condition: { $inSegment: 'beta-testers' }, variant: 'large' },
      {
        split: [
          { variant: 'none', weight: 2 },
          { variant: 'small', weight: 1 },
        ],
      },
    ],
    enabled: true,
  });

  // A running three-arm experiment with unequal weights, 80% of traffic, an audience.
  const checkout = await $.Experiment.create({
    name: 'Checkout flow',
    variants: [
      { key: 'control', weight: 50 },
      { key: 'one-page', weight: 30 },
      { key: 'express', weight: 20, value: 'express-pay' },
    ],
    trafficAllocation: 80,
    audience: { plan: { $ne: 'internal' } },
    metric: 'checkout_completed',
  });
  await $.Experiment.start({ id: checkout.$id });

  // A flag that delegates to it; units outside it fall through to the default.
  await $.FeatureFlag.create({
    key: 'checkout-flow',
    variants: [
      { key: 'control', value: 'classic-cart' },
      { key: 'one-page', value: 'one-page-cart' },
      { key: 'express', value: 'express-cart' },
    ],
    default: 'control',
    rules: [{ experiment: checkout.$id }],
    enabled: true,
  });

  // A concluded experiment whose winner (the second arm: its range starts at 0.4) rolls out
  // winner-first to 30%, through the flag the conclusion would create.
  const signup = await $.Experiment.create({
    name: 'Short signup form',
    variants: [
      { key: 'long-form', weight: 40 },
      { key: 'short-form', weight: 60 },
    ],
    metric: 'signup_completed',
  });
  await $.Experiment.start({ id: signup.$id });
  await $.Experiment.conclude({ id: signup.$id, winner: 'short-form', confidence: 0.96 });
  const winnerFlag = await $.FeatureFlag.create({
    key: 'signup-form',
    variant: 'short-form',
    experiment: signup.$id,
    rolloutPercent: 10,
  });
  await $.FeatureFlag.enable({ id: winnerFlag.$id });
  await $.FeatureFlag.rollout({ id: winnerFlag.$id, percent: 30 });

  // A boolean flag for a saved segment.
  await $.FeatureFlag.create({
    key: 'beta-banner',
    rules: [{ condition: { $inSegment: 'beta-testers' }, variant: 'on' }],
    enabled: true,
  });

  // Targeting that names people stays on the server.
  await $.FeatureFlag.create({
    key: 'staff-tools',
    serverOnly: true,
    rules: [{ condition: { email: { $regex: '@switchyard\\.dev$' } }, variant: 'on' }],
    rolloutPercent: 50,
    enabled: true,
  });

  return {
    plan: {
      flags: [
        { key: 'new-checkout', defaultValue: false },
        { key: 'pricing-page', defaultValue: 'classic' },
        { key: 'discount-percent', defaultValue: 0 },
        { key: 'checkout-flow', defaultValue: 'classic-cart' },
        { key: 'signup-form', defaultValue: 'long-form' },
        { key: 'beta-banner', defaultValue: false },
      ],
      experiments: [checkout.$id, signup.$id],
    },
    serverOnly: [{ key: 'staff-tools', defaultValue: false }],
  };
}
