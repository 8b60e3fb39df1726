/**
 * A UUID version 7 (RFC 9562): 48 bits of Unix time in milliseconds, then 74 random bits
 * taken from the first 10 bytes of `random`, lower-case hex. Ids made at later milliseconds
 * sort after earlier ones as strings. The clock and the randomness are the caller's (core
 * uses no platform globals). Throws a RangeError on a time outside 0…2^48-1 ms or fewer than
 * 10 random bytes: that is misuse, not data.
 */
export function uuidv7(timeMs: number, random: Uint8Array): string {
  if (!Number.isInteger(timeMs) || timeMs < 0 || timeMs >= 2 ** 48 || random.length < 10) {
    throw new RangeError(`uuidv7(${timeMs}): bad time or fewer than 10 random bytes`);
  }
  const r = random;
  // Version 7 in the high nibble of byte 6, the variant (binary 10) in the high bits of byte 8.
  const bytes = [0x70 | (r[0]! & 15), r[1]!, 0x80 | (r[2]! & 63), ...r.subarray(3, 10)];
  return (
    timeMs.toString(16).padStart(12, '0') +
    bytes.map((b) => (b + 256).toString(16).slice(1)).join('')
  ).replace(/^(.{8})(.{4})(.{4})(.{4})/, '$1-$2-$3-$4-');
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
