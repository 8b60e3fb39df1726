import { clientView, evaluateFlag } from '@switchyard/core';
import type { EvaluationContext } from '@switchyard/core';
import type { BootstrapPayload, BootstrappedFlag, SwitchyardClient } from '@switchyard/sdk-core';

/**
 * What a server-rendered page hands to the browser SDK for a flicker-free first paint: the
 * client view of the current config (no `serverOnly` flags, only the segments the browser
 * needs), the context, and each flag's value for that context as the browser will compute it
 * (evaluated on the same client view). Null before the client has any config.
 */
export function bootstrapPayload(
  client: SwitchyardClient,
  context: EvaluationContext,
): BootstrapPayload | null {
  const snapshot = client.snapshot;
  if (snapshot === undefined) return null;
  const config = clientView(snapshot);
  const flags: Record<string, BootstrappedFlag> = {};
  for (const key of Object.keys(config.flags)) {
    const { value, variant, reason } = evaluateFlag(config, key, context);
    if (value === undefined) continue;
    flags[key] = variant === undefined ? { value, reason } : { value, variant, reason };
  }
  return { config, context, flags };
}

/**
 * JSON of `value` that is safe inside an HTML `<script>` element: `<`, `>`, `&` and the
 * line separators U+2028/U+2029 are escaped, so no string in the config can close the script.
 */
export function toScriptJson(value: unknown): string {
  return JSON.stringify(value).replace(
    /[<>&\u2028\u2029]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}
