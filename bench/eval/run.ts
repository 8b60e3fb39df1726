/**
 * `pnpm bench:eval`: Switchyard's evaluateFlag against GrowthBook and Unleash, each through its
 * fastest server-side API, on equivalent definitions, in one process. Prints a table; never
 * fails (it is a measurement, not a test).
 */
import { once } from 'node:events';
import { GrowthBookClient } from '@growthbook/growthbook';
import { evaluateFlag, hash, hashPrefix, hashWithPrefix } from '@switchyard/core';
import { InMemStorageProvider, Unleash } from 'unleash-client';
import { matchesTargeting, people, targetedShare, UNIT_COUNT } from './contexts';
import {
  ARMS,
  EXPERIMENT_KEY,
  growthbookPayload,
  ROLLOUT_KEY,
  switchyardSnapshot,
  TARGETED_KEY,
  unleashFeatures,
} from './definitions';
import { compareThroughput, ROUNDS } from './measure';
import { checkOutcomes } from './outcomes';
import type { CaseName } from './outcomes';
import { printReport } from './report';
import type { Measurement } from './report';

const growthbook = new GrowthBookClient();
await growthbook.init({ payload: growthbookPayload });

const unleash = new Unleash({
  appName: 'switchyard-bench',
  url: 'http://127.0.0.1:9/api/', // never contacted: refreshInterval 0 disables fetching
  refreshInterval: 0,
  disableMetrics: true,
  skipInstanceCountWarning: true,
  bootstrap: { data: unleashFeatures },
  storageProvider: new InMemStorageProvider(),
});
unleash.on('error', (error: Error) => console.error(`unleash: ${error.message}`));
if (!unleash.isSynchronized()) await once(unleash, 'synchronized');

// Every library gets its own pre-built context per unit, so no call builds one.
const ours = people.map((p) => ({ userId: p.id, country: p.country, plan: p.plan, age: p.age }));
const gbUsers = people.map((p) => ({
  attributes: { id: p.id, country: p.country, plan: p.plan, age: p.age },
}));
const unleashUsers = people.map((p) => ({
  userId: p.id,
  properties: { country: p.country, plan: p.plan, age: p.age },
}));
const floorKeys = people.map((p) => `${ROLLOUT_KEY}:rollout:${p.id}`);
const rolloutPrefix = hashPrefix(`${ROLLOUT_KEY}:rollout:`);

type Evaluate = (i: number) => unknown;
const libraries: Record<string, Record<CaseName, Evaluate>> = {
  growthbook: {
    rollout: (i) => growthbook.isOn(ROLLOUT_KEY, gbUsers[i]!),
    targeting: (i) => growthbook.isOn(TARGETED_KEY, gbUsers[i]!),
    experiment: (i) => growthbook.getFeatureValue(EXPERIMENT_KEY, 'none', gbUsers[i]!),
  },
  unleash: {
    rollout: (i) => unleash.isEnabled(ROLLOUT_KEY, unleashUsers[i]!),
    targeting: (i) => unleash.isEnabled(TARGETED_KEY, unleashUsers[i]!),
    experiment: (i) => unleash.getVariant(EXPERIMENT_KEY, unleashUsers[i]!).name,
  },
  switchyard: {
    rollout: (i) => evaluateFlag(switchyardSnapshot, ROLLOUT_KEY, ours[i]!, false).value,
    targeting: (i) => evaluateFlag(switchyardSnapshot, TARGETED_KEY, ours[i]!, false).value,
    experiment: (i) => evaluateFlag(switchyardSnapshot, EXPERIMENT_KEY, ours[i]!, '').value,
  },
};

const started = Date.now();
const measurements: Measurement[] = [];
let floor = 0;
let unitFloor = 0;
for (const caseName of ['rollout', 'targeting', 'experiment'] as const) {
  const contenders: Record<string, Evaluate> = {};
  for (const [library, cases] of Object.entries(libraries)) contenders[library] = cases[caseName];
  // The floor: the bare hash of the key a rollout needs, timed alongside case (a).
  if (caseName === 'rollout') {
    contenders.floor = (i) => hash(floorKeys[i]!);
    // What evaluateFlag actually hashes: the unit, after the cached `salt:rollout:` state.
    contenders.unitHash = (i) => hashWithPrefix(rolloutPrefix, people[i]!.id);
  }
  const rates = compareThroughput(UNIT_COUNT, contenders);
  for (const [library, cases] of Object.entries(libraries)) {
    const outcomes = people.map((_, i) => cases[caseName](i));
    const check = checkOutcomes(caseName, outcomes, {
      targeted: people.map(matchesTargeting),
      targetedShare,
      arms: ARMS,
    });
    measurements.push({ library, caseName, perSecond: rates[library]!, check });
  }
  floor ||= rates.floor!;
  unitFloor ||= rates.unitHash!;
}

printReport(
  measurements,
  { floor, unitFloor },
  {
    units: UNIT_COUNT,
    rounds: ROUNDS,
    seconds: (Date.now() - started) / 1000,
    floorKey: `${ROLLOUT_KEY}:rollout:<unit>`,
  },
);
unleash.destroy();
growthbook.destroy();
