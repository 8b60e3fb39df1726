/**
 * MurmurHash3 x86 32-bit, seed 0, over the UTF-8 bytes of a string — the hash every
 * Switchyard SDK and the server bucket with. It reads UTF-16 char codes and encodes them
 * to UTF-8 inline (no TextEncoder: core uses no platform globals, and encoding into a
 * buffer first is several times slower). A lone surrogate is encoded as U+FFFD, as
 * TextEncoder does.
 */

const C1 = 0xcc9e2d51;
const C2 = 0x1b873593;

/**
 * The hash state after the bytes of a prefix: hash a constant prefix once with
 * {@link hashPrefix}, then each suffix with {@link hashWithPrefix}.
 */
export interface HashState {
  /** The prefix this state stands for. */
  readonly prefix: string;
  /** h1 after every complete 4-byte block of the prefix. */
  readonly h: number;
  /** The 0–3 bytes after the last complete block, packed little-endian. */
  readonly tail: number;
  /** How many bits of `tail` are used: 0, 8, 16 or 24. */
  readonly tailBits: number;
  /** UTF-8 length of the prefix in bytes. */
  readonly length: number;
  /**
   * True when the prefix ends with a high surrogate: its bytes depend on whether the
   * suffix starts with a low one, so such a prefix is hashed again with each suffix.
   */
  readonly splitsSurrogate: boolean;
}

function mixBlock(h: number, k: number): number {
  k = Math.imul(k, C1);
  k = (k << 15) | (k >>> 17);
  k = Math.imul(k, C2);
  h ^= k;
  h = (h << 13) | (h >>> 19);
  return (Math.imul(h, 5) + 0xe6546b64) | 0;
}

function finish(h: number, tail: number, tailBits: number, length: number): number {
  if (tailBits > 0) {
    tail = Math.imul(tail, C1);
    tail = (tail << 15) | (tail >>> 17);
    h ^= Math.imul(tail, C2);
  }
  h ^= length;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

const EMPTY: HashState = {
  prefix: '',
  h: 0,
  tail: 0,
  tailBits: 0,
  length: 0,
  splitsSurrogate: false,
};

/** Hashes the bytes of `prefix` once; the state continues with any suffix. */
export function hashPrefix(prefix: string): HashState {
  const bytes = utf8Bytes(prefix);
  const blocks = bytes.length - (bytes.length % 4);
  let h = 0;
  for (let i = 0; i < blocks; i += 4) {
    h = mixBlock(
      h,
      bytes[i]! | (bytes[i + 1]! << 8) | (bytes[i + 2]! << 16) | (bytes[i + 3]! << 24),
    );
  }
  let tail = 0;
  for (let i = blocks; i < bytes.length; i++) tail |= bytes[i]! << ((i - blocks) * 8);
  const last = prefix.charCodeAt(prefix.length - 1);
  return {
    prefix,
    h,
    tail,
    tailBits: (bytes.length - blocks) * 8,
    length: bytes.length,
    splitsSurrogate: last >= 0xd800 && last < 0xdc00,
  };
}

/** `hash(state.prefix + suffix)`, hashing only the bytes of `suffix`. */
export function hashWithPrefix(state: HashState, suffix: string): number {
  if (state.splitsSurrogate) return hashWithPrefix(EMPTY, state.prefix + suffix);
  let h = state.h;
  let k = state.tail;
  let bits = state.tailBits;
  let length = state.length;
  const n = suffix.length;
  let i = 0;
  while (i < n) {
    const c = suffix.charCodeAt(i);
    if (c < 0x80) {
      // Four ASCII chars on a block boundary make a whole block: the common case for ids.
      if (bits === 0 && i + 3 < n) {
        const c1 = suffix.charCodeAt(i + 1);
        const c2 = suffix.charCodeAt(i + 2);
        const c3 = suffix.charCodeAt(i + 3);
        if ((c1 | c2 | c3) < 0x80) {
          h = mixBlock(h, c | (c1 << 8) | (c2 << 16) | (c3 << 24));
          i += 4;
          length += 4;
          continue;
        }
      }
      k |= c << bits;
      i++;
      length++;
      bits += 8;
      if (bits === 32) {
        h = mixBlock(h, k);
        k = 0;
        bits = 0;
      }
      continue;
    }
    // Encode one code point into `u` (its UTF-8 bytes little-endian), `size` bits long.
    let u: number;
    let size: number;
    i++;
    if (c < 0x800) {
      u = 0xc0 | (c >> 6) | ((0x80 | (c & 63)) << 8);
      size = 16;
    } else {
      if (c >= 0xd800 && c < 0xe000) {
        const d = i < n ? suffix.charCodeAt(i) : 0;
        if (c < 0xdc00 && d >= 0xdc00 && d < 0xe000) {
          const cp = ((c - 0xd800) << 10) + (d - 0xdc00) + 0x10000;
          i++;
          u =
            0xf0 |
            (cp >> 18) |
            ((0x80 | ((cp >> 12) & 63)) << 8) |
            ((0x80 | ((cp >> 6) & 63)) << 16) |
            ((0x80 | (cp & 63)) << 24);
          size = 32;
        } else {
          u = 0xbdbfef; // U+FFFD
          size = 24;
        }
      } else {
        u = 0xe0 | (c >> 12) | ((0x80 | ((c >> 6) & 63)) << 8) | ((0x80 | (c & 63)) << 16);
        size = 24;
      }
    }
    k |= u << bits;
    bits += size;
    length += size >>> 3;
    if (bits >= 32) {
      h = mixBlock(h, k);
      bits -= 32;
      // The bytes of `u` that did not fit start the next block.
      k = bits > 0 ? u >>> (size - bits) : 0;
    }
  }
  return finish(h, k, bits, length);
}

/** MurmurHash3 x86 32-bit (seed 0) of the UTF-8 bytes of `s`, unsigned. */
export function hash(s: string): number {
  return hashWithPrefix(EMPTY, s);
}

/** The UTF-8 bytes of `s`, lone surrogates as U+FFFD. */
export function utf8Bytes(s: string): number[] {
  const out: number[] = [];
  for (let i = 0; i < s.length; i++) {
    let c = s.charCodeAt(i);
    if (c >= 0xd800 && c < 0xe000) {
      const d = s.charCodeAt(i + 1);
      if (c < 0xdc00 && d >= 0xdc00 && d < 0xe000) {
        c = ((c - 0xd800) << 10) + (d - 0xdc00) + 0x10000;
        i++;
      } else {
        c = 0xfffd;
      }
    }
    if (c < 0x80) out.push(c);
    else if (c < 0x800) out.push(0xc0 | (c >> 6), 0x80 | (c & 63));
    else if (c < 0x10000) out.push(0xe0 | (c >> 12), 0x80 | ((c >> 6) & 63), 0x80 | (c & 63));
    else
      out.push(0xf0 | (c >> 18), 0x80 | ((c >> 12) & 63), 0x80 | ((c >> 6) & 63), 0x80 | (c & 63));
  }
  return out;
}
