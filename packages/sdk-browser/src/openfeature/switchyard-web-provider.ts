import { DEFAULT_UNIT } from '@switchyard/core';
import type { JsonValue as SwitchyardJson } from '@switchyard/core';
import { fromOpenFeatureContext, openFeatureResolution } from '@switchyard/sdk-core';
import type { SwitchyardClient } from '@switchyard/sdk-core';
import { OpenFeatureEventEmitter, ProviderEvents } from '@openfeature/web-sdk';
import type {
  EvaluationContext,
  JsonValue,
  Provider,
  ResolutionDetails,
  TrackingEventDetails,
} from '@openfeature/web-sdk';

/** Options of a `SwitchyardWebProvider`. */
export interface SwitchyardWebProviderOptions {
  /** How long `initialize` waits for the first config, in ms (default: no limit). */
  readyTimeoutMs?: number;
  /** The attribute OpenFeature's `targetingKey` fills (default `userId`). */
  unitAttribute?: string;
  /** Close the client when OpenFeature closes the provider (default true: flushes events). */
  closeClient?: boolean;
}

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
  readonly #unitAttribute: string;
  readonly #unsubscribe: Array<() => void>;

  constructor(
    readonly client: SwitchyardClient,
    private readonly options: SwitchyardWebProviderOptions = {},
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

  resolveBooleanEvaluation(key: string, defaultValue: boolean, context: EvaluationContext) {
    return this.#resolve(key, defaultValue, context);
  }

  resolveStringEvaluation(key: string, defaultValue: string, context: EvaluationContext) {
    return this.#resolve(key, defaultValue, context);
  }

  resolveNumberEvaluation(key: string, defaultValue: number, context: EvaluationContext) {
    return this.#resolve(key, defaultValue, context);
  }

  resolveObjectEvaluation<T extends JsonValue>(
    key: string,
    defaultValue: T,
    context: EvaluationContext,
  ): ResolutionDetails<T> {
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
    // Our error codes are OpenFeature's enum values, as strings.
    return openFeatureResolution(details) as ResolutionDetails<T>;
  }
}
