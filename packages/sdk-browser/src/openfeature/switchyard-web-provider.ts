import { openFeatureBridge } from '@switchyard/sdk-core';
import type {
  OpenFeatureBridge,
  OpenFeatureProviderOptions,
  SwitchyardClient,
} from '@switchyard/sdk-core';
import { OpenFeatureEventEmitter, ProviderEvents } from '@openfeature/web-sdk';
import type {
  EvaluationContext,
  JsonValue,
  Provider,
  ResolutionDetails,
  TrackingEventDetails,
} from '@openfeature/web-sdk';

/** Options of a `SwitchyardWebProvider`. */
export type SwitchyardWebProviderOptions = OpenFeatureProviderOptions;

/**
 * An OpenFeature web provider over a Switchyard client. Evaluation is local and synchronous, as
 * the web SDK's static-context paradigm wants, so a context change needs no reconciling.
 * `initialize` waits for the first config (bootstrap, cache or server); config changes are
 * emitted as PROVIDER_CONFIGURATION_CHANGED with the affected flag keys, a refused key as
 * PROVIDER_ERROR, and `track` queues a Switchyard event.
 */
export class SwitchyardWebProvider implements Provider {
  readonly metadata = { name: 'switchyard' } as const;
  readonly runsOn = 'client' as const;
  readonly events = new OpenFeatureEventEmitter();
  readonly #bridge: OpenFeatureBridge;

  constructor(
    readonly client: SwitchyardClient,
    options: SwitchyardWebProviderOptions = {},
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

  resolveBooleanEvaluation(key: string, defaultValue: boolean, context: EvaluationContext) {
    return this.#bridge.resolve(key, defaultValue, context) as ResolutionDetails<boolean>;
  }

  resolveStringEvaluation(key: string, defaultValue: string, context: EvaluationContext) {
    return this.#bridge.resolve(key, defaultValue, context) as ResolutionDetails<string>;
  }

  resolveNumberEvaluation(key: string, defaultValue: number, context: EvaluationContext) {
    return this.#bridge.resolve(key, defaultValue, context) as ResolutionDetails<number>;
  }

  resolveObjectEvaluation<T extends JsonValue>(
    key: string,
    defaultValue: T,
    context: EvaluationContext,
  ): ResolutionDetails<T> {
    // OpenFeature's JSON type admits `Date`; Switchyard flags only serve plain JSON.
    const fallback = defaultValue as Parameters<OpenFeatureBridge['resolve']>[1];
    return this.#bridge.resolve(key, fallback, context) as unknown as ResolutionDetails<T>;
  }

  track(name: string, context: EvaluationContext, details: TrackingEventDetails): void {
    this.#bridge.track(name, context, details);
  }
}
