import type { FlagType } from '../schema/config';

/** True when `value` has the JS type a flag of `type` serves; a `json` flag serves any value. */
export function matchesFlagType(type: FlagType, value: unknown): boolean {
  return type === 'json' ? value !== undefined : typeof value === type;
}
