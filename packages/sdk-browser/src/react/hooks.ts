import { useCallback, useSyncExternalStore } from 'react';
import type { JsonValue, Widen } from '@switchyard/core';
import type { FlagDetails } from '@switchyard/sdk-core';
import type { FlagStore } from './flag-store';
import { useFlagStore } from './switchyard-provider';

/**
 * The value of flag `key` for the provider's context, typed by `defaultValue` (served when the
 * flag cannot serve one of its type). Re-renders only when this flag's value changes.
 */
export function useFlag<T extends JsonValue>(key: string, defaultValue: T): Widen<T> {
  return useDetails(useFlagStore('useFlag'), key, defaultValue).value;
}

/** Flag `key` with its reason, variant and error code; re-renders only when they change. */
export function useFlagDetails<T extends JsonValue>(
  key: string,
  defaultValue: T,
): FlagDetails<Widen<T>> {
  return useDetails(useFlagStore('useFlagDetails'), key, defaultValue);
}

function useDetails<T extends JsonValue>(
  store: FlagStore,
  key: string,
  defaultValue: T,
): FlagDetails<Widen<T>> {
  return useSyncExternalStore(
    useSubscribe(store, 'flags', key),
    () => store.details(key, defaultValue),
    () => store.serverDetails(key, defaultValue),
  );
}

/** The variant of experiment `experimentId` for the provider's context, or null when not in it. */
export function useVariant(experimentId: string): string | null {
  const store = useFlagStore('useVariant');
  return useSyncExternalStore(
    useSubscribe(store, 'experiments', experimentId),
    () => store.variant(experimentId),
    () => store.serverVariant(experimentId),
  );
}

/** The provider's client and context, e.g. to `track` events. */
export function useSwitchyard(): Pick<FlagStore, 'client' | 'context'> {
  const { client, context } = useFlagStore('useSwitchyard');
  return { client, context };
}

function useSubscribe(store: FlagStore, kind: 'flags' | 'experiments', key: string) {
  return useCallback(
    (onChange: () => void) => store.subscribe(kind, key, onChange),
    [store, kind, key],
  );
}
