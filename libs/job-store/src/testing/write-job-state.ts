import { jobStateFields, redisKeys } from '@gantry/job-state';
import type { Redis } from 'ioredis';

export interface TestJob {
  id: string;
  tenant?: string;
  type?: string;
  queue?: string;
  status: string;
  seq: number;
  created_at?: string;
  fields?: Record<string, string>;
}

/**
 * Writes a job hash and its records entry the way the queue runtime's scripts do (one MULTI:
 * HSET the hash, XADD the records stream), so recorder tests run against real Redis state. A new
 * job's entry (seq 1) carries its non-empty fields, as the create script's does, and a change's entry
 * its state fields, as the transition script's does (`carryState: false`: as older workers wrote it).
 */
export async function writeJobState(
  redis: Redis,
  prefix: string,
  job: TestJob,
  options: { record?: boolean; data?: unknown; at?: string; carryState?: boolean } = {},
): Promise<void> {
  const hash: Record<string, string> = {
    id: job.id,
    tenant: job.tenant ?? 'acme',
    type: job.type ?? 'ocr.extract',
    queue: job.queue ?? 'ocr',
    status: job.status,
    status_reason: '',
    priority: '',
    attempt: '1',
    max_attempts: '3',
    progress_pct: '0',
    progress_message: '',
    input: JSON.stringify({ file: { blob_id: `blob-${job.id}` } }),
    output: '',
    error: '',
    model: '',
    worker: '',
    idempotency_key: '',
    created_at: job.created_at ?? '2026-01-01T00:00:00.000Z',
    started_at: '',
    completed_at: '',
    expires_at: '',
    seq: String(job.seq),
    ...job.fields,
  };
  const keys = redisKeys(prefix);
  const multi = redis.multi().hset(keys.job(job.id), hash);
  if (options.record !== false) {
    multi.xadd(
      keys.records,
      '*',
      'id',
      job.id,
      'seq',
      String(job.seq),
      'status',
      job.status,
      'at',
      options.at ?? new Date().toISOString(),
      'data',
      JSON.stringify(options.data ?? {}),
      ...(job.seq === 1
        ? ['job', JSON.stringify(newJobFields(hash))]
        : options.carryState === false
          ? []
          : jobStateFields.flatMap((name) => [`state.${name}`, hash[name] ?? ''])),
    );
  }
  await multi.exec();
}

function newJobFields(hash: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(hash).filter(([name, value]) => name !== 'seq' && value !== ''));
}

/** Deletes every key under the prefix (test cleanup). */
export async function deletePrefix(redis: Redis, prefix: string): Promise<void> {
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1000);
    cursor = next;
    if (keys.length > 0) await redis.del(...keys);
  } while (cursor !== '0');
}
