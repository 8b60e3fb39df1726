import type { RandomBytes } from '@switchyard/sdk-core';

/** Random bytes from Node's Web Crypto, for event ids and backoff jitter. */
export const nodeRandom: RandomBytes = (length) => crypto.getRandomValues(new Uint8Array(length));
