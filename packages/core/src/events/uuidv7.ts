const HEX: string[] = Array.from({ length: 256 }, (_, i) => (i < 16 ? '0' : '') + i.toString(16));

const MAX_TIME = 2 ** 48 - 1;

/**
 * A UUID version 7 (RFC 9562): 48 bits of Unix time in milliseconds, then 74 random bits
 * taken from the first 10 bytes of `random`, lower-case hex. Ids made at later milliseconds
 * sort after earlier ones as strings. The clock and the randomness are the caller's (core
 * uses no platform globals). Throws a RangeError on a time outside 0…2^48-1 ms or fewer than
 * 10 random bytes: that is misuse, not data.
 */
export function uuidv7(timeMs: number, random: Uint8Array): string {
  if (!Number.isInteger(timeMs) || timeMs < 0 || timeMs > MAX_TIME) {
    throw new RangeError(`uuidv7: time ${timeMs} is not an integer millisecond in 0…2^48-1`);
  }
  if (random.length < 10) throw new RangeError('uuidv7: needs at least 10 random bytes');
  // The 48-bit time does not fit a 32-bit operand: split it into 16 high and 32 low bits.
  const high = Math.floor(timeMs / 2 ** 32);
  const low = timeMs >>> 0;
  const r = random;
  return (
    HEX[(high >>> 8) & 255]! +
    HEX[high & 255]! +
    HEX[low >>> 24]! +
    HEX[(low >>> 16) & 255]! +
    '-' +
    HEX[(low >>> 8) & 255]! +
    HEX[low & 255]! +
    '-' +
    HEX[0x70 | (r[0]! & 0x0f)]! +
    HEX[r[1]!]! +
    '-' +
    HEX[0x80 | (r[2]! & 0x3f)]! +
    HEX[r[3]!]! +
    '-' +
    HEX[r[4]!]! +
    HEX[r[5]!]! +
    HEX[r[6]!]! +
    HEX[r[7]!]! +
    HEX[r[8]!]! +
    HEX[r[9]!]!
  );
}

const UUID_V7 = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/i;

/** True when `s` is a UUID of version 7 with the RFC 9562 variant, in either letter case. */
export function isUuidV7(s: string): boolean {
  return UUID_V7.test(s);
}

/** The Unix time in milliseconds a UUID v7 was made at. */
export function uuidv7Time(id: string): number {
  return parseInt(id.slice(0, 8) + id.slice(9, 13), 16);
}
