import { isTerminal, JobStatus } from '@gantry/contracts';
import type { Redis } from 'ioredis';
import type { RecordEntry } from './record-entry.js';
import { redisKeys } from './redis-keys.js';

/**
 * KEYS: each job's hash and event stream, in pairs. ARGV: each job's seq and status, in pairs.
 * Deletes a job's two keys when its hash still is at that seq and status, i.e. nothing changed after the
 * final change that was just recorded. One script for a whole batch: one round trip, not one a job.
 * Returns how many jobs it deleted.
 */
const forgetRecordedJobsScript = `
local deleted = 0
for i = 1, #KEYS, 2 do
  local current = redis.call('HMGET', KEYS[i], 'seq', 'status')
  if current[1] == ARGV[i] and current[2] == ARGV[i + 1] then
    redis.call('DEL', KEYS[i], KEYS[i + 1])
    deleted = deleted + 1
  end
end
return deleted
`;

interface ForgetCommands {
  gantryForgetRecordedJobs(keyCount: number, ...args: (string | number)[]): Promise<number>;
}

/**
 * The jobs of a recorded batch whose last change there is final, with that change's seq: PostgreSQL
 * holds each as it will stay.
 */
export function finishedJobs(entries: readonly RecordEntry[]): Map<string, { seq: number; status: string }> {
  const last = new Map<string, { seq: number; status: string }>();
  for (const entry of entries) {
    const known = last.get(entry.jobId);
    if (!known || entry.seq > known.seq) last.set(entry.jobId, { seq: entry.seq, status: entry.status });
  }
  for (const [id, { status }] of last) {
    const parsed = JobStatus.safeParse(status);
    if (!parsed.success || !isTerminal(parsed.data)) last.delete(id);
  }
  return last;
}

/**
 * Once PostgreSQL has a finished job, Redis lets it go: its hash and event stream are deleted in the
 * recorder's pass (about 6 KB a job would otherwise stay for the whole retention), and readers fall
 * back to PostgreSQL. A job that changed again since (it cannot, once final, but a stale entry may be
 * recorded after a newer one) is left alone. Returns how many were deleted.
 */
export async function forgetRecordedJobs(
  redis: Redis,
  prefix: string,
  jobs: ReadonlyMap<string, { seq: number; status: string }>,
): Promise<number> {
  if (jobs.size === 0) return 0;
  if (!('gantryForgetRecordedJobs' in redis)) {
    // The number of keys varies with the batch: it is the first argument of each call.
    redis.defineCommand('gantryForgetRecordedJobs', { lua: forgetRecordedJobsScript });
  }
  const keys = redisKeys(prefix);
  const names = [...jobs.keys()].flatMap((id) => [keys.job(id), keys.jobEvents(id)]);
  const values = [...jobs.values()].flatMap(({ seq, status }) => [seq, status]);
  return (redis as Redis & ForgetCommands).gantryForgetRecordedJobs(names.length, ...names, ...values);
}
