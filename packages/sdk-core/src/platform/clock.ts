/** An opaque timer handle, whatever the platform's `setTimeout` returns. */
export type TimerHandle = unknown;

/**
 * Time and timers, injected so that sdk-core touches no platform global and tests can drive
 * time by hand (see `ManualClock`). Adapters pass `Date.now` and the platform's timers.
 */
export interface Clock {
  /** Milliseconds since the epoch. */
  now(): number;
  /** Runs `fn` once after `ms` milliseconds. */
  setTimeout(fn: () => void, ms: number): TimerHandle;
  /** Cancels a timer; unknown or fired handles are ignored. */
  clearTimeout(handle: TimerHandle): void;
}
