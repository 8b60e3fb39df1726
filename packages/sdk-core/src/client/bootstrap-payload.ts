import type { EvaluationContext, EvaluationReason, JsonValue } from '@switchyard/core';
import type { ConfigSnapshot } from '@switchyard/core/schema';

/** One precomputed flag value in a `BootstrapPayload`. */
export interface BootstrappedFlag {
  value: JsonValue;
  variant?: string;
  reason: EvaluationReason;
}

/**
 * What a server renders into a page so the browser client starts with the same config (and so
 * the same values) the server used: the client view of the config, the context it evaluated
 * and, for reference, the values it served. Clients accept it as `bootstrap` (as they accept a
 * bare snapshot).
 */
export interface BootstrapPayload {
  config: ConfigSnapshot;
  context?: EvaluationContext;
  flags?: Record<string, BootstrappedFlag>;
}
