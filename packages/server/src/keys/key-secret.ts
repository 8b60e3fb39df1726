import { createHash, timingSafeEqual } from 'node:crypto';
import { randomBase62 } from '../ids';
import type { KeyKind } from '../store/records';

/** How many random characters of a key go into its public prefix. */
const PREFIX_RANDOM = 6;

/** A new secret: `sy_admin_…`, `sy_server_…` or `sy_client_…` with 32 random base62 characters. */
export function newKeySecret(kind: KeyKind): string {
  return `sy_${kind}_${randomBase62(32)}`;
}

/**
 * The public part of a secret, stored to find candidates and shown in listings: the kind
 * marker and the first random characters (`sy_admin_AbC123`); for a key chosen by an
 * operator, its first characters.
 */
export function keyPrefix(secret: string): string {
  const marked = /^sy_(admin|server|client)_/.exec(secret);
  const head = marked ? marked[0].length : 0;
  return secret.slice(0, head + PREFIX_RANDOM);
}

/** SHA-256 of the secret, hex: all the store keeps. */
export function hashSecret(secret: string): string {
  return createHash('sha256').update(secret, 'utf8').digest('hex');
}

/** Compares two hex hashes in constant time. */
export function sameHash(a: string, b: string): boolean {
  const x = Buffer.from(a, 'hex');
  const y = Buffer.from(b, 'hex');
  return x.length === y.length && timingSafeEqual(x, y);
}
