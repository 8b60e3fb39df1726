import { randomInt } from 'node:crypto';

const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

/** `length` characters of base62 from the CSPRNG. */
export function randomBase62(length: number): string {
  let out = '';
  for (let i = 0; i < length; i++) out += BASE62[randomInt(62)];
  return out;
}

/** A new entity id: the lower-case type name, `_`, 8 random base62 characters (`experiment_xN4yKpTm`). */
export function newId(typeName: string): string {
  return `${typeName.toLowerCase()}_${randomBase62(8)}`;
}
