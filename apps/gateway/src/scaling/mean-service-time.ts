/** One entry of a BullMQ queue's events stream, as XREVRANGE answers it: `[id, [field, value, …]]`. */
export type QueueEventEntry = [id: string, fields: string[]];

/**
 * The mean time from a worker taking a job (`active`) to finishing it (`completed` or `failed`),
 * over the pairs found in a window of the queue's events, newest first. BullMQ writes both events
 * from its own scripts with the stream id's millisecond clock, so every gateway replica reading the
 * same window gets the same answer. Null when the window holds no finished job with its start.
 */
export function meanServiceTime(
  newestFirst: readonly QueueEventEntry[],
): { seconds: number; samples: number } | null {
  const finishedAt = new Map<string, number>();
  let total = 0;
  let samples = 0;
  for (const [id, fields] of newestFirst) {
    const event = field(fields, 'event');
    const jobId = field(fields, 'jobId');
    if (jobId === undefined) continue;
    const at = Number(id.split('-')[0]);
    if (event === 'completed' || event === 'failed') {
      // Newest first: the first finish seen is the attempt the start below belongs to.
      if (!finishedAt.has(jobId)) finishedAt.set(jobId, at);
    } else if (event === 'active') {
      const finished = finishedAt.get(jobId);
      if (finished === undefined || finished < at) continue;
      total += finished - at;
      samples += 1;
      // A retried job's earlier attempt must not pair with this finish again.
      finishedAt.set(jobId, -1);
    }
  }
  return samples === 0 ? null : { seconds: total / samples / 1_000, samples };
}

function field(fields: readonly string[], name: string): string | undefined {
  for (let i = 0; i + 1 < fields.length; i += 2) if (fields[i] === name) return fields[i + 1];
  return undefined;
}
