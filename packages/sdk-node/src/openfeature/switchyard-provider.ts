import { DEFAULT_UNIT } from '@switchyard/core';
import type { JsonValue as SwitchyardJson } from '@switchyard/core';
import { fromOpenFeatureContext, openFeatureResolution } from '@switchyard/sdk-core';
import type { SwitchyardClient } from '@switchyard/sdk-core';
import { OpenFeatureEventEmitter, ProviderEvents } from '@openfeature/server-sdk';
import type {
  EvaluationContext,
  JsonValue,
  Provider,
  ResolutionDetails,
  TrackingEventDetails,
} from '@openfeature/server-sdk';

/** Options of a `SwitchyardProvider`. */
export interface SwitchyardProviderOptions {
  /** How long `initialize` waits for the first config, in ms (default: no limit). */
  readyTimeoutMs?: number;
  /** The attribute OpenFeature's `targetingKey` fills (default `userId`). */
  unitAttribute?: string;
  /** Close the client when OpenFeature closes the provider (default true: flushes events). */
  closeClient?: boolean;
}

/**
 * An OpenFeature server provider over a Switchyard client: resolutions are local evaluations
 * (exposures logged as with direct reads), `initialize` waits for the first config, config
 * changes are emitted as PROVIDER_CONFIGURATION_CHANGED with the affected flag keys, a refused
 * key as PROVIDER_ERROR, and `track` queues a Switchyard event.
 */
export class SwitchyardProvider implements Provider {
  readonly metadata = { name: 'switchyard' } as const;
  readonly runsOn = 'server' as const;
  readonly events = new OpenFeatureEventEmitter();
  readonly #unitAttribute: string;
  readonly #unsubscribe: Array<() => void>;

  constructor(
    readonly client: SwitchyardClient,
    private readonly options: SwitchyardProviderOptions = {},
  ) {
    this.#unitAttribute = options.unitAttribute ?? DEFAULT_UNIT;
    this.#unsubscribe = [
      client.on('change', (change) => {
        if (change.previousVersion === undefined) return;
        this.events.emit(ProviderEvents.ConfigurationChanged, { flagsChanged: change.flags });
      }),
      client.on('error', (error) => {
        if (error.code === 'UNAUTHORIZED' || error.code === 'FORBIDDEN') {
          this.events.emit(ProviderEvents.Error, { message: error.message });
        }
      }),
    ];
  }

  async initialize(): Promise<void> {
    const timeoutMs = this.options.readyTimeoutMs;
    await this.client.ready(timeoutMs === undefined ? {} : { timeoutMs });
  }

  async onClose(): Promise<void> {
    for (const unsubscribe of this.#unsubscribe) unsubscribe();
    if (this.options.closeClient !== false) await this.client.close();
  }

  async resolveBooleanEvaluation(key: string, defaultValue: boolean, context: EvaluationContext) {
    return this.#resolve(key, defaultValue, context);
  }

  async resolveStringEvaluation(key: string, defaultValue: string, context: EvaluationContext) {
    return this.#resolve(key, defaultValue, context);
  }

  async resolveNumberEvaluation(key: string, defaultValue: number, context: EvaluationContext) {
    return this.#resolve(key, defaultValue, context);
  }

  async resolveObjectEvaluation<T extends JsonValue>(
    key: string,
    defaultValue: T,
    context: EvaluationContext,
  ): Promise<ResolutionDetails<T>> {
    // OpenFeature's JSON type admits `Date`; Switchyard flags only serve plain JSON.
    return this.#resolve(key, defaultValue as SwitchyardJson, context) as ResolutionDetails<T>;
  }

  track(name: string, context: EvaluationContext, details: TrackingEventDetails): void {
    const properties = JSON.parse(JSON.stringify(details ?? {})) as Record<string, SwitchyardJson>;
    this.client.track(name, fromOpenFeatureContext(context, this.#unitAttribute), properties);
  }

  #resolve<T extends SwitchyardJson>(
    key: string,
    defaultValue: T,
    context: EvaluationContext,
  ): ResolutionDetails<T> {
    const details = this.client.getDetails(
      key,
      fromOpenFeatureContext(context, this.#unitAttribute),
      defaultValue,
    );
    // sdk-core's error codes are the values of OpenFeature's ErrorCode enum, as strings.
    return openFeatureResolution(details) as ResolutionDetails<T>;
  }
}
