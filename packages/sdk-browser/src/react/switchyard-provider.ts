import { createContext, createElement, useContext, useMemo } from 'react';
import type { ReactNode } from 'react';
import type { EvaluationContext } from '@switchyard/core';
import { FlagStore } from './flag-store';
import type { StoreClient } from './flag-store';

const StoreContext = createContext<FlagStore | null>(null);

/** Props of `SwitchyardProvider`. */
export interface SwitchyardProviderProps {
  /** The client, e.g. from `createClient` (one per page; create it outside components). */
  client: StoreClient;
  /** The attributes flags are evaluated against, e.g. `{ userId }` (default: none). */
  context?: EvaluationContext;
  children?: ReactNode;
}

/**
 * Makes `client` and `context` available to the hooks below it. A new context object with the
 * same content changes nothing; a context with other content evaluates every hook again.
 */
export function SwitchyardProvider({ client, context, children }: SwitchyardProviderProps) {
  const signature = JSON.stringify(context ?? {});
  // Keyed by content: `context={{ userId }}` is a new object at every render.
  const store = useMemo(() => new FlagStore(client, context ?? {}), [client, signature]);
  return createElement(StoreContext.Provider, { value: store }, children);
}

/** The store of the nearest `SwitchyardProvider`; throws (misuse) outside one. */
export function useFlagStore(hook: string): FlagStore {
  const store = useContext(StoreContext);
  if (store === null) {
    throw new Error(`switchyard: ${hook} must be used inside a <SwitchyardProvider client={...}>`);
  }
  return store;
}
