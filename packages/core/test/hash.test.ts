import fc from 'fast-check';
import murmurhash from 'murmurhash';
import { describe, expect, it } from 'vitest';
import { hash, hashPrefix, hashWithPrefix, utf8Bytes } from '../src/hash';

// The oracle: murmurhash's v3 encodes with TextEncoder (lone surrogates become U+FFFD).
const oracle = (s: string): number => murmurhash.v3(s);

/** Strings of arbitrary UTF-16 code units: lone and paired surrogates, and everything else. */
const codeUnits = fc.string({
  unit: fc.oneof(
    fc.integer({ min: 0, max: 0xffff }).map((c) => String.fromCharCode(c)),
    fc.integer({ min: 0xd800, max: 0xdfff }).map((c) => String.fromCharCode(c)),
    fc.constantFrom('a', ':', '😀', '日', 'é', '\ud83d', '\ude00'),
  ),
  maxLength: 40,
});
const anyString = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.string({ unit: 'grapheme', maxLength: 20 }),
  fc.string({ unit: 'binary-ascii', maxLength: 60 }),
  codeUnits,
);

describe('hash', () => {
  it('is MurmurHash3 x86 32 of the UTF-8 bytes, seed 0', () => {
    expect(hash('')).toBe(0);
    expect(hash('a')).toBe(oracle('a'));
    expect(hash('hello')).toBe(0x248bfa47);
    expect(hash('The quick brown fox jumps over the lazy dog')).toBe(0x2e4ff723);
  });

  it('agrees with the oracle on non-ASCII, emoji, CJK and lone surrogates', () => {
    for (const s of [
      'é',
      'straße',
      '日本語のユーザー',
      '😀',
      'a😀b😀c',
      '\ud800',
      'x\udfffy',
      '\ude00\ud83d',
      '👨‍👩‍👧',
    ]) {
      expect(hash(s), JSON.stringify(s)).toBe(oracle(s));
    }
  });

  it('agrees with the oracle on every length across the 4-byte block boundaries', () => {
    let s = '';
    for (let i = 0; i < 40; i++) {
      s += i % 3 === 0 ? 'é' : i % 5 === 0 ? '😀' : String.fromCharCode(97 + (i % 26));
      expect(hash(s)).toBe(oracle(s));
    }
  });

  it('equals the oracle for arbitrary Unicode strings', () => {
    fc.assert(
      fc.property(anyString, (s) => hash(s) === oracle(s)),
      { numRuns: 3000 },
    );
  });

  it('returns an unsigned 32-bit integer, the same each time', () => {
    fc.assert(
      fc.property(anyString, (s) => {
        const h = hash(s);
        return Number.isInteger(h) && h >= 0 && h < 2 ** 32 && hash(s) === h;
      }),
    );
  });
});

describe('hashPrefix / hashWithPrefix', () => {
  it('equals the hash of the whole string at any split point', () => {
    fc.assert(
      fc.property(anyString, anyString, (a, b) => hashWithPrefix(hashPrefix(a), b) === hash(a + b)),
      { numRuns: 3000 },
    );
  });

  it('joins a surrogate pair split between prefix and suffix', () => {
    expect(hashWithPrefix(hashPrefix('ab\ud83d'), '\ude00cd')).toBe(oracle('ab😀cd'));
    expect(hashWithPrefix(hashPrefix('ab\ud83d'), 'cd')).toBe(oracle('ab\ud83dcd'));
    expect(hashWithPrefix(hashPrefix('ab\ud83d'), '')).toBe(oracle('ab\ud83d'));
  });

  it('reuses one prefix state for many suffixes', () => {
    const state = hashPrefix('checkout:rollout:');
    for (const unit of ['u1', 'user-123456', 'ünïcødé', '😀']) {
      expect(hashWithPrefix(state, unit)).toBe(oracle(`checkout:rollout:${unit}`));
    }
  });
});

describe('utf8Bytes', () => {
  it('encodes like TextEncoder', () => {
    const encoder = new TextEncoder();
    fc.assert(
      fc.property(anyString, (s) => {
        expect(utf8Bytes(s)).toEqual([...encoder.encode(s)]);
      }),
    );
  });
});
