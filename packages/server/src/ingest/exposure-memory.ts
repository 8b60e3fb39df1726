import { BoundedMemory } from './bounded-memory';

/**
 * Exposures this process knows are stored, variant by `pairKey`: a unit's first exposure never
 * changes, so a known one is still true on every instance, and the store need not be asked again.
 * Only committed exposures are added; a miss asks the store. Bounded (see `BoundedMemory`).
 */
export class ExposureMemory extends BoundedMemory<string> {}
