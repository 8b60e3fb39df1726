/** One package measured: its whole main entry, and the import an app typically makes. */
export interface PeerTarget {
  name: string;
  /** `export * from '<package>'`. */
  entry: string;
  /** The client an app imports, e.g. `export { GrowthBook } from '@growthbook/growthbook'`. */
  client: string;
  /** What `client` imports, for the table. */
  clientName: string;
  /** Evaluates flags locally (rules and bucketing in the browser), as ours does. */
  localEvaluation: boolean;
}

/** Peers' browser SDKs, as installed in bench/package.json. */
export const PEERS: PeerTarget[] = [
  {
    name: '@growthbook/growthbook',
    entry: "export * from '@growthbook/growthbook';",
    client: "export { GrowthBook } from '@growthbook/growthbook';",
    clientName: 'GrowthBook',
    localEvaluation: true,
  },
  {
    name: 'unleash-proxy-client',
    entry: "export * from 'unleash-proxy-client';",
    client: "export { UnleashClient } from 'unleash-proxy-client';",
    clientName: 'UnleashClient',
    localEvaluation: false,
  },
  {
    name: 'flagsmith',
    entry: "export * from 'flagsmith';",
    client: "export { default as flagsmith } from 'flagsmith';",
    clientName: 'default export',
    localEvaluation: false,
  },
  {
    name: '@statsig/js-client',
    entry: "export * from '@statsig/js-client';",
    client: "export { StatsigClient } from '@statsig/js-client';",
    clientName: 'StatsigClient',
    localEvaluation: false,
  },
  {
    name: '@launchdarkly/js-client-sdk',
    entry: "export * from '@launchdarkly/js-client-sdk';",
    client: "export { createClient } from '@launchdarkly/js-client-sdk';",
    clientName: 'createClient',
    localEvaluation: false,
  },
  {
    name: '@openfeature/web-sdk',
    entry: "export * from '@openfeature/web-sdk';",
    client: "export { OpenFeature } from '@openfeature/web-sdk';",
    clientName: 'OpenFeature',
    localEvaluation: false,
  },
];

const MAIN = "export * from '@switchyard/sdk-browser';";
const REACT = "export * from '@switchyard/sdk-browser/react';";
const OPENFEATURE = "export * from '@switchyard/sdk-browser/openfeature';";
const POLLING = "export * from '@switchyard/sdk-browser/polling';";
const STICKY = "export * from '@switchyard/sdk-browser/sticky';";

/** Our bundles; the `mainAnd…` ones are measured on top of the main entry. */
export const OURS = {
  main: MAIN,
  createClient: "export { createClient } from '@switchyard/sdk-browser';",
  react: REACT,
  mainAndReact: `${MAIN}\n${REACT}`,
  mainAndOpenFeature: `${MAIN}\n${OPENFEATURE}`,
  mainAndPolling: `${MAIN}\n${POLLING}`,
  mainAndSticky: `${MAIN}\n${STICKY}`,
};

/** The main entry, whose bytes the per-module table breaks down. */
export const MAIN_ENTRY = MAIN;

/** Kept out of our bundles, as an app's own copy would be. */
export const OUR_EXTERNALS = ['react', 'react-dom', '@openfeature/web-sdk'];
