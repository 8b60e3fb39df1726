import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  DEFAULT_DEDUPER_CAPACITY,
  ExposureDeduper,
  isUuidV7,
  uuidv7,
  uuidv7Time,
} from '../src/events';

const bytes = fc.uint8Array({ minLength: 10, maxLength: 16 });
const time = fc.integer({ min: 0, max: 2 ** 48 - 1 });

describe('uuidv7', () => {
  it('lays out time, version, random and variant as RFC 9562 says', () => {
    const random = Uint8Array.from([
      0xff, 0xee, 0xdd, 0xcc, 0xbb, 0xaa, 0x99, 0x88, 0x77, 0x66, 0x55,
    ]);
    const id = uuidv7(0x0189_1a2b_3c4d, random);
    expect(id).toBe('01891a2b-3c4d-7fee-9dcc-bbaa99887766');
    expect(uuidv7(0, new Uint8Array(10))).toBe('00000000-0000-7000-8000-000000000000');
    expect(uuidv7(2 ** 48 - 1, new Uint8Array(16).fill(255))).toBe(
      'ffffffff-ffff-7fff-bfff-ffffffffffff',
    );
  });

  it('makes valid lower-case v7 ids that give back their time', () => {
    fc.assert(
      fc.property(time, bytes, (t, r) => {
        const id = uuidv7(t, r);
        return isUuidV7(id) && id === id.toLowerCase() && uuidv7Time(id) === t;
      }),
    );
  });

  it('sorts an id of a later millisecond after an earlier one', () => {
    fc.assert(
      fc.property(time, time, bytes, bytes, (a, b, ra, rb) => {
        fc.pre(a !== b);
        const [early, late] =
          a < b ? [uuidv7(a, ra), uuidv7(b, rb)] : [uuidv7(b, rb), uuidv7(a, ra)];
        return early < late;
      }),
    );
  });

  it('throws on misuse: a bad time or too few random bytes', () => {
    expect(() => uuidv7(-1, new Uint8Array(10))).toThrow(RangeError);
    expect(() => uuidv7(2 ** 48, new Uint8Array(10))).toThrow(RangeError);
    expect(() => uuidv7(1.5, new Uint8Array(10))).toThrow(RangeError);
    expect(() => uuidv7(1, new Uint8Array(9))).toThrow(RangeError);
  });
});

describe('isUuidV7', () => {
  it('accepts v7 ids in either case and rejects others', () => {
    expect(isUuidV7('01891A2B-3C4D-7FEE-9DCC-BBAA99887766')).toBe(true);
    expect(isUuidV7('01891a2b-3c4d-4fee-9dcc-bbaa99887766')).toBe(false); // version 4
    expect(isUuidV7('01891a2b-3c4d-7fee-cdcc-bbaa99887766')).toBe(false); // wrong variant
    expect(isUuidV7('01891a2b3c4d7fee9dccbbaa99887766')).toBe(false);
    expect(isUuidV7('')).toBe(false);
  });
});

describe('ExposureDeduper', () => {
  it('says false the first time and true the second', () => {
    const deduper = new ExposureDeduper();
    expect(deduper.capacity).toBe(DEFAULT_DEDUPER_CAPACITY);
    expect(deduper.seen('u1', 'exp', 'a')).toBe(false);
    expect(deduper.seen('u1', 'exp', 'a')).toBe(true);
    expect(deduper.seen('u1', 'exp', 'b')).toBe(false);
    expect(deduper.seen('u2', 'exp', 'a')).toBe(false);
  });

  it('keeps triples apart whatever their strings contain', () => {
    const deduper = new ExposureDeduper();
    expect(deduper.seen('a:b', 'c', 'd')).toBe(false);
    expect(deduper.seen('a', 'b:c', 'd')).toBe(false);
    expect(deduper.seen('a', 'b', 'c:d')).toBe(false);
  });

  it('forgets the least recently seen triple past its capacity', () => {
    const deduper = new ExposureDeduper(2);
    deduper.seen('u1', 'e', 'a');
    deduper.seen('u2', 'e', 'a');
    expect(deduper.seen('u1', 'e', 'a')).toBe(true); // u1 is now the most recent
    deduper.seen('u3', 'e', 'a'); // evicts u2
    expect(deduper.size).toBe(2);
    expect(deduper.seen('u1', 'e', 'a')).toBe(true);
    expect(deduper.seen('u2', 'e', 'a')).toBe(false);
  });

  it('never holds more than its capacity', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 20 }), fc.array(fc.nat(40)), (capacity, units) => {
        const deduper = new ExposureDeduper(capacity);
        for (const u of units) deduper.seen(String(u), 'e', 'v');
        return deduper.size <= capacity;
      }),
    );
  });

  it('forgets everything on clear', () => {
    const deduper = new ExposureDeduper();
    deduper.seen('u', 'e', 'v');
    deduper.clear();
    expect(deduper.seen('u', 'e', 'v')).toBe(false);
  });

  it('throws on a capacity that is not a positive integer', () => {
    for (const capacity of [0, -1, 1.5, Number.NaN]) {
      expect(() => new ExposureDeduper(capacity)).toThrow(RangeError);
    }
  });
});
