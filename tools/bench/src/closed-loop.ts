/**
 * Runs `task` from `concurrency` loops at once, each starting its next call when the last one ends
 * (a closed loop, like clients waiting for their answer), until the time is up or `count` calls started.
 */
export async function closedLoop<T>(
  options: { concurrency: number; durationMs?: number; count?: number },
  task: (index: number) => Promise<T>,
): Promise<{ results: T[]; wallMs: number }> {
  const started = performance.now();
  const deadline = options.durationMs === undefined ? Infinity : started + options.durationMs;
  const count = options.count ?? Infinity;
  const results: T[] = [];
  let next = 0;
  const loop = async () => {
    while (next < count && performance.now() < deadline) {
      const index = next;
      next += 1;
      results.push(await task(index));
    }
  };
  await Promise.all(Array.from({ length: options.concurrency }, loop));
  return { results, wallMs: performance.now() - started };
}
