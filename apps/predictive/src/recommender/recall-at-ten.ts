import { mostPopular, scoreForUser, trainItemItem } from './item-item-model.js';

/** Users held out at most: enough for a stable recall, bounded so validation stays a fraction of training. */
const maxValidationUsers = 5_000;
const minValidationUsers = 20;

/**
 * Leave-latest-out validation: hides each user's latest item, trains on the rest, and counts how often
 * the hidden item is in the user's top 10, for the model and for the most-popular baseline. Null when
 * fewer than 20 users have two or more items.
 */
export function recallAtTen(
  histories: ReadonlyMap<string, ReadonlyMap<string, number>>,
): { model: number; popularity: number } | null {
  const held = new Map<string, string>();
  const training = new Map<string, ReadonlyMap<string, number>>();
  for (const [user, history] of histories) {
    const items = [...history];
    const latest = items.at(-1);
    if (items.length >= 2 && latest && held.size < maxValidationUsers) {
      held.set(user, latest[0]);
      training.set(user, new Map(items.slice(0, -1)));
    } else {
      training.set(user, history);
    }
  }
  if (held.size < minValidationUsers) return null;
  const model = trainItemItem(training);
  const index = new Map(model.items.map((item, i) => [item, i]));
  let modelHits = 0;
  let popularHits = 0;
  for (const [user, item] of held) {
    const target = index.get(item);
    const seen = model.users[user] ?? [];
    if (target === undefined) continue;
    if (scoreForUser(model, seen, 10, false).some((entry) => entry.item === target)) modelHits += 1;
    const exclude = new Set(seen.map(([at]) => at));
    if (mostPopular(model, 10, exclude).some((entry) => entry.item === target)) popularHits += 1;
  }
  return { model: modelHits / held.size, popularity: popularHits / held.size };
}
