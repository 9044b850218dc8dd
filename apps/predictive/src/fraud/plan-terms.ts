import type { FeatureSpec } from '@gantry/contracts';
import type { BaseEncoder } from './base-encoder.js';

/** At most this many categories per column are one-hot encoded (the most frequent); the rest read as none. */
const maxCategories = 30;
/** Pairwise products beyond the plain terms: bounded so the Newton step stays a small solve. */
const maxPairs = 96;

/** The feature schema: number columns as they are, categories over the training values (most frequent first). */
export function planFeatures(
  columns: readonly { name: string; type: 'number' | 'category' }[],
  rows: readonly (readonly (number | string)[])[],
): FeatureSpec[] {
  return columns.map((column, c) => {
    if (column.type === 'number') return { name: column.name, type: 'number' };
    const counts = new Map<string, number>();
    for (const row of rows) counts.set(String(row[c]), (counts.get(String(row[c])) ?? 0) + 1);
    const categories = [...counts.entries()]
      .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
      .slice(0, maxCategories)
      .map(([category]) => category);
    return { name: column.name, type: 'category', categories };
  });
}

/**
 * Interaction terms: products of two input columns of different features, number × number first, then
 * number × category, then category × category, up to `maxPairs`. A product within one categorical
 * feature is always zero, so it is never a term.
 */
export function planPairs(encoder: BaseEncoder, features: readonly FeatureSpec[]): [number, number][] {
  const numeric = new Set(features.filter((f) => f.type === 'number').map((f) => f.name));
  const pairs: { pair: [number, number]; rank: number }[] = [];
  for (let a = 0; a < encoder.width; a += 1) {
    for (let b = a + 1; b < encoder.width; b += 1) {
      const [ownerA, ownerB] = [encoder.owners[a] ?? '', encoder.owners[b] ?? ''];
      if (ownerA === ownerB) continue;
      const rank = Number(!numeric.has(ownerA)) + Number(!numeric.has(ownerB));
      pairs.push({ pair: [a, b], rank });
    }
  }
  return pairs
    .sort((x, y) => x.rank - y.rank)
    .slice(0, maxPairs)
    .map(({ pair }) => pair);
}
