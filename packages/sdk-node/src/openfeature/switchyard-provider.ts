import { openFeatureBridge } from '@switchyard/sdk-core';
import type {
  OpenFeatureBridge,
  OpenFeatureProviderOptions,
  SwitchyardClient,
} from '@switchyard/sdk-core';
import { OpenFeatureEventEmitter, ProviderEvents } from '@openfeature/server-sdk';
import type {
  EvaluationContext,
  JsonValue,
  Provider,
  ResolutionDetails,
  TrackingEventDetails,
} from '@openfeature/server-sdk';

/** Options of a `SwitchyardProvider`. */
export type SwitchyardProviderOptions = OpenFeatureProviderOptions;

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
  readonly #bridge: OpenFeatureBridge;

  constructor(
    readonly client: SwitchyardClient,
    options: SwitchyardProviderOptions = {},
  ) {
    this.#bridge = openFeatureBridge(client, options, {
      changed: (flags) =>
        this.events.emit(ProviderEvents.ConfigurationChanged, { flagsChanged: flags }),
      refused: (message) => this.events.emit(ProviderEvents.Error, { message }),
    });
  }

  initialize(): Promise<void> {
    return this.#bridge.initialize();
  }

  onClose(): Promise<void> {
    return this.#bridge.close();
  }

  async resolveBooleanEvaluation(key: string, defaultValue: boolean, context: EvaluationContext) {
    return this.#bridge.resolve(key, defaultValue, context) as ResolutionDetails<boolean>;
  }

  async resolveStringEvaluation(key: string, defaultValue: string, context: EvaluationContext) {
    return this.#bridge.resolve(key, defaultValue, context) as ResolutionDetails<string>;
  }

  async resolveNumberEvaluation(key: string, defaultValue: number, context: EvaluationContext) {
    return this.#bridge.resolve(key, defaultValue, context) as ResolutionDetails<number>;
  }

  async resolveObjectEvaluation<T extends JsonValue>(
    key: string,
    defaultValue: T,
    context: EvaluationContext,
  ): Promise<ResolutionDetails<T>> {
    // OpenFeature's JSON type admits `Date`; Switchyard flags only serve plain JSON.
    const fallback = defaultValue as Parameters<OpenFeatureBridge['resolve']>[1];
    return this.#bridge.resolve(key, fallback, context) as unknown as ResolutionDetails<T>;
  }

  track(name: string, context: EvaluationContext, details: TrackingEventDetails): void {
    this.#bridge.track(name, context, details);
  }
}
