import { ExposureDeduper } from '@switchyard/core';

/** One unit seeing one variant of one experiment. */
export interface Exposure {
  unit: string;
  experiment: string;
  variant: string;
  /** The flag read that served it, when it came through a flag. */
  flag?: string;
}

/** One unit served one variant of a flag that rolls out to part of its units. */
export interface FlagExposure {
  unit: string;
  flag: string;
  variant: string;
}

/** Keeps flag exposures apart from experiment ones in the deduper (ids never start with `$`). */
const FLAG_PREFIX = '$flag:';

/**
 * Sends each (unit, experiment, variant) exposure once, however often it is read, through
 * core's bounded `ExposureDeduper`; the server tolerates the rare repeat after eviction. Flag
 * exposures (of flags rolling out to part of their units) go the same way, through `emitFlag`.
 */
export class ExposureLogger {
  #deduper: ExposureDeduper;

  constructor(
    capacity: number,
    private readonly emit: (exposure: Exposure) => void,
    private readonly emitFlag: (exposure: FlagExposure) => void = () => {},
  ) {
    this.#deduper = new ExposureDeduper(capacity);
  }

  log(exposure: Exposure): void {
    if (!this.#deduper.seen(exposure.unit, exposure.experiment, exposure.variant))
      this.emit(exposure);
  }

  /** Sends each (unit, flag, variant) of a partly rolled-out flag once, like `log`. */
  logFlag(exposure: FlagExposure): void {
    if (!this.#deduper.seen(exposure.unit, FLAG_PREFIX + exposure.flag, exposure.variant))
      this.emitFlag(exposure);
  }

  /** Forgets what was logged, e.g. when the signed-in user changes. */
  reset(): void {
    this.#deduper.clear();
  }
}
