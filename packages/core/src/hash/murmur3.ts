/**
 * MurmurHash3 x86 32-bit, seed 0, over the UTF-8 bytes of a string — the hash every
 * Switchyard SDK and the server bucket with. It reads UTF-16 char codes and encodes them
 * to UTF-8 inline (no TextEncoder: core uses no platform globals, and encoding into a
 * buffer first is several times slower). A lone surrogate is encoded as U+FFFD, as
 * TextEncoder does.
 */

/**
 * The hash state after the bytes of a prefix: hash a constant prefix once with
 * {@link hashPrefix}, then each suffix with {@link hashWithPrefix}. Opaque: `s` is the
 * streaming state (h1 after the complete blocks, the 0–3 tail bytes packed little-endian,
 * their bit count, the byte length), or undefined when the prefix ends with a high surrogate,
 * whose bytes depend on the suffix (such a prefix is hashed again with each suffix).
 */
export interface HashState {
  /** The prefix this state stands for. */
  readonly prefix: string;
  readonly s: readonly [number, number, number, number] | undefined;
}

// The streaming state `feed` leaves behind: h1, tail, tail bits, byte length. Module
// registers rather than a returned array, so hashing allocates nothing.
let H = 0;
let K = 0;
let B = 0;
let L = 0;

const mix = (k: number, h: number): number =>
  h ^ Math.imul(((k = Math.imul(k, 0xcc9e2d51)) << 15) | (k >>> 17), 0x1b873593);

/** Continues the state (h, k, bits, length) with the UTF-8 bytes of `s`; leaves it in H K B L. */
function feed(s: string, h: number, k: number, bits: number, length: number): void {
  for (let i = 0, n = s.length; i < n;) {
    let u = s.charCodeAt(i++);
    let size = 8;
    // Four ASCII chars on a block boundary make a whole block: the common case for ids.
    if (
      !bits &&
      i + 2 < n &&
      (u | s.charCodeAt(i) | s.charCodeAt(i + 1) | s.charCodeAt(i + 2)) < 128
    ) {
      u |= (s.charCodeAt(i++) << 8) | (s.charCodeAt(i++) << 16) | (s.charCodeAt(i++) << 24);
      size = 32;
    } else if (u > 127) {
      // Encode one code point into `u` (its UTF-8 bytes little-endian), `size` bits long: a
      // lead byte, then `m` bytes of 6 bits each.
      let c = u;
      const d = s.charCodeAt(i);
      if ((c & 0xfc00) === 0xd800 && (d & 0xfc00) === 0xdc00) {
        c = (c << 10) + d - 0x35fdc00;
        i++;
      } else if ((c & 0xf800) === 0xd800) c = 0xfffd;
      const m = c < 0x800 ? 1 : c < 0x10000 ? 2 : 3;
      u = ((0xff00 >> (m + 1)) & 0xff) | (c >> (6 * m));
      for (let j = 1; j <= m; j++) u |= (0x80 | ((c >> (6 * (m - j))) & 63)) << (8 * j);
      size = 8 * m + 8;
    }
    k |= u << bits;
    bits += size;
    length += size >> 3;
    if (bits > 31) {
      h = (Math.imul(((h = mix(k, h)) << 13) | (h >>> 19), 5) + 0xe6546b64) | 0;
      bits -= 32;
      // The bytes of `u` that did not fit start the next block.
      k = bits ? u >>> (size - bits) : 0;
    }
  }
  H = h;
  K = k;
  B = bits;
  L = length;
}

/** The hash of the state `feed` left. */
function finish(): number {
  let h = (B ? mix(K, H) : H) ^ L;
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

/** MurmurHash3 x86 32-bit (seed 0) of the UTF-8 bytes of `s`, unsigned. */
export function hash(s: string): number {
  feed(s, 0, 0, 0, 0);
  return finish();
}

/** Hashes the bytes of `prefix` once; the state continues with any suffix. */
export function hashPrefix(prefix: string): HashState {
  feed(prefix, 0, 0, 0, 0);
  return {
    prefix,
    s: (prefix.charCodeAt(prefix.length - 1) & 0xfc00) === 0xd800 ? undefined : [H, K, B, L],
  };
}

/** `hash(state.prefix + suffix)`, hashing only the bytes of `suffix`. */
export function hashWithPrefix(state: HashState, suffix: string): number {
  const s = state.s;
  if (!s) return hash(state.prefix + suffix);
  feed(suffix, s[0], s[1], s[2], s[3]);
  return finish();
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
