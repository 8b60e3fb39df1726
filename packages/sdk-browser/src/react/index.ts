// @switchyard/sdk-browser/react: hooks over a Switchyard client (needs react >= 18).
export { FlagStore } from './flag-store';
export type { StoreClient } from './flag-store';
export { useFlag, useFlagDetails, useSwitchyard, useVariant } from './hooks';
export { SwitchyardProvider } from './switchyard-provider';
export type { SwitchyardProviderProps } from './switchyard-provider';
