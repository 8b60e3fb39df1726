import { ExposureDeduper } from '@switchyard/core';

/** One unit seeing one variant of one experiment. */
export interface Exposure {
  unit: string;
  experiment: string;
  variant: string;
  /** The flag read that served it, when it came through a flag. */
  flag?: string;
}

/**
 * Sends each (unit, experiment, variant) exposure once, however often it is read, through
 * core's bounded `ExposureDeduper`; the server tolerates the rare repeat after eviction.
 */
export class ExposureLogger {
  #deduper: ExposureDeduper;

  constructor(
    capacity: number,
    private readonly emit: (exposure: Exposure) => void,
  ) {
    this.#deduper = new ExposureDeduper(capacity);
  }

  log(exposure: Exposure): void {
    if (!this.#deduper.seen(exposure.unit, exposure.experiment, exposure.variant))
      this.emit(exposure);
  }

  /** Forgets what was logged, e.g. when the signed-in user changes. */
  reset(): void {
    this.#deduper.clear();
  }
}
