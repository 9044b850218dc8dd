/**
 * Hashes a feature name to a slot of the weight table and a sign (the "hashing trick" with a sign
 * bit, so that colliding features cancel out on average instead of piling up in one direction).
 * FNV-1a over UTF-16 code units, then murmur3's finaliser to spread FNV's weak low bits.
 */
export function featureHash(name: string, bits: number): { index: number; sign: 1 | -1 } {
  let hash = 0x811c9dc5;
  for (let i = 0; i < name.length; i++) {
    hash ^= name.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  hash ^= hash >>> 16;
  hash = Math.imul(hash, 0x85ebca6b);
  hash ^= hash >>> 13;
  hash = Math.imul(hash, 0xc2b2ae35);
  hash ^= hash >>> 16;
  return { index: (hash >>> 0) & ((1 << bits) - 1), sign: hash < 0 ? -1 : 1 };
}
