import { DEFAULT_UNIT } from '@switchyard/core';
import type { JsonValue } from '@switchyard/core';
import type { SwitchyardClient } from '../client/switchyard-client';
import { fromOpenFeatureContext, openFeatureResolution } from './resolution';
import type { OpenFeatureResolution } from './resolution';

/** Options of the OpenFeature providers of both SDKs. */
export interface OpenFeatureProviderOptions {
  /** How long `initialize` waits for the first config, in ms (default: no limit). */
  readyTimeoutMs?: number;
  /** The attribute OpenFeature's `targetingKey` fills (default `userId`). */
  unitAttribute?: string;
  /** Close the client when OpenFeature closes the provider (default true: flushes events). */
  closeClient?: boolean;
}

/** How a provider tells its OpenFeature SDK about the client's changes. */
export interface OpenFeatureSignals {
  /** The config changed after the first one; `flags` may now resolve differently. */
  changed(flags: string[]): void;
  /** The server refused the key. */
  refused(message: string): void;
}

/** What a provider delegates to: everything but its OpenFeature SDK's own types and emitter. */
export interface OpenFeatureBridge {
  initialize(): Promise<void>;
  close(): Promise<void>;
  /** Resolves `key`; the value has the type of `defaultValue`, which the provider casts to. */
  resolve(
    key: string,
    defaultValue: JsonValue,
    context: Readonly<Record<string, unknown>>,
  ): OpenFeatureResolution<JsonValue>;
  track(name: string, context: Readonly<Record<string, unknown>>, details: unknown): void;
}

/**
 * The OpenFeature-free half of the server and web providers: resolutions are local reads
 * (exposures logged as with direct reads), `initialize` waits for the first config, config
 * changes after the first and refused keys go to `signals`, and `track` queues an event.
 */
export function openFeatureBridge(
  client: SwitchyardClient,
  options: OpenFeatureProviderOptions,
  signals: OpenFeatureSignals,
): OpenFeatureBridge {
  const unit = options.unitAttribute ?? DEFAULT_UNIT;
  const unsubscribe = [
    client.on('change', (change) => {
      if (change.previousVersion !== undefined) signals.changed(change.flags);
    }),
    client.on('error', (error) => {
      if (error.code === 'UNAUTHORIZED' || error.code === 'FORBIDDEN')
        signals.refused(error.message);
    }),
  ];
  return {
    async initialize() {
      const timeoutMs = options.readyTimeoutMs;
      await client.ready(timeoutMs === undefined ? {} : { timeoutMs });
    },
    async close() {
      for (const stop of unsubscribe) stop();
      if (options.closeClient !== false) await client.close();
    },
    resolve(key, defaultValue, context) {
      return openFeatureResolution(
        client.getDetails(key, fromOpenFeatureContext(context, unit), defaultValue),
      );
    },
    track(name, context, details) {
      // OpenFeature's details may hold values JSON has no word for (Dates): keep their JSON form.
      const properties = JSON.parse(JSON.stringify(details ?? {})) as Record<string, JsonValue>;
      client.track(name, fromOpenFeatureContext(context, unit), properties);
    },
  };
}
