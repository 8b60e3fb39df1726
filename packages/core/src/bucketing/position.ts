import { hash, hashPrefix, hashWithPrefix } from '../hash';
import type { HashState } from '../hash';

/** What a position is drawn for; each purpose gives a unit an independent position. */
export type BucketingPurpose = 'rollout' | 'traffic' | 'variant' | 'layer';

const TWO_POW_32 = 4294967296;

/**
 * A unit's place in [0, 1) for one salt and purpose:
 * `hash(salt + ':' + purpose + ':' + unit) / 2^32`.
 */
export function position(salt: string, purpose: string, unit: string): number {
  return hash(salt + ':' + purpose + ':' + unit) / TWO_POW_32;
}

/** The hash state of `salt:purpose:`, to draw many units' positions for one salt and purpose. */
export function positionPrefix(salt: string, purpose: string): HashState {
  return hashPrefix(salt + ':' + purpose + ':');
}

/** `position(salt, purpose, unit)` from the state made by {@link positionPrefix}. */
export function positionWithPrefix(prefix: HashState, unit: string): number {
  return hashWithPrefix(prefix, unit) / TWO_POW_32;
}
