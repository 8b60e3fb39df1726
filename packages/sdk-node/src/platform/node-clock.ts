import type { Clock } from '@switchyard/sdk-core';

/**
 * Node's clock and timers. Timers keep the process alive (as the open socket does), so a
 * pending retry is not cut short by the process exiting: `await client.close()` lets it end.
 */
export const nodeClock: Clock = {
  now: () => Date.now(),
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (handle) => clearTimeout(handle as NodeJS.Timeout),
};
