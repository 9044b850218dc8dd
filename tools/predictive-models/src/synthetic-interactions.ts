import { seededRandom } from './seeded-random.js';

/**
 * Implicit feedback with a known structure: 1,000 items in 25 genres of 40; item popularity within a
 * genre and across the catalogue is Zipf-like (rank^-1). Each of the users likes one or two genres and
 * has 5–25 interactions: 85 % drawn from a liked genre, 15 % from the whole catalogue by popularity.
 * Weights are 1–3 (views, carts, purchases); times ascend. A recommender that learns which items go
 * together should find a user's next item far more often than the most-popular list does.
 */
export function syntheticInteractions(users: number, seed: number): string {
  const random = seededRandom(seed);
  const genres = 25;
  const perGenre = 40;
  const zipf = (n: number) => {
    const weights = Array.from({ length: n }, (_, i) => 1 / (i + 1));
    const total = weights.reduce((a, b) => a + b, 0);
    return () => {
      let pick = random() * total;
      for (let i = 0; i < n; i += 1) if ((pick -= weights[i] ?? 0) < 0) return i;
      return n - 1;
    };
  };
  const inGenre = zipf(perGenre);
  const anywhere = zipf(genres * perGenre);
  // Catalogue-wide popularity ranks items in a shuffled order, so popular items are spread over genres.
  const byPopularity = Array.from({ length: genres * perGenre }, (_, i) => i).sort(() => random() - 0.5);
  const lines = ['user,item,weight,time'];
  let time = Date.parse('2026-01-01T00:00:00Z');
  for (let u = 0; u < users; u += 1) {
    const liked = [Math.floor(random() * genres)];
    if (random() < 0.5) liked.push(Math.floor(random() * genres));
    const count = 5 + Math.floor(random() * 21);
    for (let i = 0; i < count; i += 1) {
      const genre = liked[Math.floor(random() * liked.length)] ?? 0;
      const item = random() < 0.85 ? genre * perGenre + inGenre() : (byPopularity[anywhere()] ?? 0);
      time += 1_000;
      lines.push(`user${u},item${item},${1 + Math.floor(random() * 3)},${new Date(time).toISOString()}`);
    }
  }
  return `${lines.join('\n')}\n`;
}
