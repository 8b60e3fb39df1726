export { hash, hashPrefix, hashWithPrefix, utf8Bytes } from './murmur3';
export type { HashState } from './murmur3';
