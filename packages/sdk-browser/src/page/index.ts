export { BEACON_MAX_BYTES, beaconEvents } from './beacon-events';
export type { BeaconOptions } from './beacon-events';
export { watchPage } from './page-lifecycle';
