import { isTerminal, JobStatus } from '@gantry/contracts';
import type { Redis } from 'ioredis';
import type { RecordEntry } from './record-entry.js';
import { redisKeys } from './redis-keys.js';

/**
 * KEYS: the job's hash, its event stream. ARGV: seq, status.
 * Deletes both when the hash still is at that seq and status, i.e. nothing changed after the final
 * change that was just recorded. Returns 1 when deleted.
 */
const forgetRecordedJobScript = `
local current = redis.call('HMGET', KEYS[1], 'seq', 'status')
if current[1] ~= ARGV[1] or current[2] ~= ARGV[2] then return 0 end
redis.call('DEL', KEYS[1], KEYS[2])
return 1
`;

interface ForgetCommands {
  gantryForgetRecordedJob(hash: string, events: string, seq: number, status: string): Promise<number>;
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
  if (!('gantryForgetRecordedJob' in redis)) {
    redis.defineCommand('gantryForgetRecordedJob', { numberOfKeys: 2, lua: forgetRecordedJobScript });
  }
  const commands = redis as Redis & ForgetCommands;
  const keys = redisKeys(prefix);
  const deleted = await Promise.all(
    [...jobs].map(([id, { seq, status }]) =>
      commands.gantryForgetRecordedJob(keys.job(id), keys.jobEvents(id), seq, status),
    ),
  );
  return deleted.reduce((sum, one) => sum + one, 0);
}
