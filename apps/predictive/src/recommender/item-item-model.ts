/** Item-item collaborative filtering over implicit feedback, as stored in the registry (JSON). */
export interface ItemItemModel {
  items: string[];
  /** Total interaction weight per item, by index. */
  popularity: number[];
  /** Per item, its most similar items as [index, similarity], most similar first. */
  neighbors: [number, number][][];
  /** Per user, the items they interacted with as [index, weight]. */
  users: Record<string, [number, number][]>;
}

/** Shrinks the cosine of items seen together by few users towards zero (Koren's shrinkage). */
const shrinkage = 10;
const neighborsPerItem = 50;
/** The most recent items of a user that count towards similarities: bounds the pair count per user. */
const historyCap = 100;

export function trainItemItem(histories: ReadonlyMap<string, ReadonlyMap<string, number>>): ItemItemModel {
  const index = new Map<string, number>();
  const items: string[] = [];
  const popularity: number[] = [];
  const users: Record<string, [number, number][]> = {};
  for (const [user, history] of histories) {
    users[user] = [...history].map(([item, weight]) => {
      let at = index.get(item);
      if (at === undefined) {
        at = items.length;
        index.set(item, at);
        items.push(item);
        popularity.push(0);
      }
      popularity[at] = (popularity[at] ?? 0) + weight;
      return [at, weight];
    });
  }
  // Log weights: a user who played an item 50 times likes it more than once, not 50 times more.
  const norms = new Float64Array(items.length);
  const cooccurrence = items.map(() => new Map<number, number>());
  for (const entries of Object.values(users)) {
    const recent = entries.slice(-historyCap).map(([item, weight]) => [item, Math.log1p(weight)] as const);
    for (const [item, weight] of recent) norms[item] = (norms[item] ?? 0) + weight * weight;
    for (let a = 0; a < recent.length; a += 1) {
      const [itemA, weightA] = recent[a] ?? [0, 0];
      for (let b = a + 1; b < recent.length; b += 1) {
        const [itemB, weightB] = recent[b] ?? [0, 0];
        const low = Math.min(itemA, itemB);
        const high = Math.max(itemA, itemB);
        const row = cooccurrence[low];
        row?.set(high, (row.get(high) ?? 0) + weightA * weightB);
      }
    }
  }
  const candidates = items.map((): [number, number][] => []);
  cooccurrence.forEach((row, a) => {
    for (const [b, dot] of row) {
      const similarity = dot / (Math.sqrt((norms[a] ?? 0) * (norms[b] ?? 0)) + shrinkage);
      candidates[a]?.push([b, similarity]);
      candidates[b]?.push([a, similarity]);
    }
  });
  const neighbors = candidates.map((list) =>
    list
      .sort((x, y) => y[1] - x[1])
      .slice(0, neighborsPerItem)
      .map(([item, similarity]): [number, number] => [item, Math.round(similarity * 1e6) / 1e6]),
  );
  return { items, popularity, neighbors, users };
}

/** Items scored for a user by the similarity of each to what the user has, weighted by how much. */
export function scoreForUser(
  model: ItemItemModel,
  seen: readonly (readonly [number, number])[],
  k: number,
  includeSeen: boolean,
): { item: number; score: number }[] {
  const scores = new Map<number, number>();
  for (const [item, weight] of seen) {
    for (const [other, similarity] of model.neighbors[item] ?? []) {
      scores.set(other, (scores.get(other) ?? 0) + Math.log1p(weight) * similarity);
    }
  }
  if (!includeSeen) for (const [item] of seen) scores.delete(item);
  return top(scores, k);
}

/** The most popular items, as a share of all interaction weight; `exclude` are left out. */
export function mostPopular(model: ItemItemModel, k: number, exclude: ReadonlySet<number> = new Set()) {
  const total = model.popularity.reduce((sum, value) => sum + value, 0) || 1;
  const scores = new Map<number, number>();
  model.popularity.forEach((value, item) => {
    if (!exclude.has(item)) scores.set(item, value / total);
  });
  return top(scores, k);
}

function top(scores: ReadonlyMap<number, number>, k: number): { item: number; score: number }[] {
  return [...scores]
    .sort((a, b) => b[1] - a[1] || a[0] - b[0])
    .slice(0, k)
    .map(([item, score]) => ({ item, score }));
}
