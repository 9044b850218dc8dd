import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { positiveInt, recordRetentionEnv, sharedEnv } from './env-fragments.js';
import { parseEnv } from './parse-env.js';

const schema = z.object({ ...sharedEnv, WORKERS: positiveInt(2) });

describe('parseEnv', () => {
  it('applies defaults', () => {
    const env = parseEnv(schema, {});
    expect(env).toMatchObject({ REDIS_URL: 'redis://127.0.0.1:6379', GANTRY_PREFIX: 'gantry', WORKERS: 2 });
  });

  it('lists every bad variable in one error', () => {
    expect(() => parseEnv(schema, { REDIS_URL: 'nope', WORKERS: '-1' })).toThrow(/REDIS_URL[\s\S]*WORKERS/);
  });

  it('keeps job records 30 days unless told otherwise; 0 keeps them forever, a fraction or below 0 is refused', () => {
    const records = z.object(recordRetentionEnv);
    expect(parseEnv(records, {})).toEqual({ JOB_RECORD_RETENTION_DAYS: 30 });
    expect(parseEnv(records, { JOB_RECORD_RETENTION_DAYS: '0' })).toEqual({ JOB_RECORD_RETENTION_DAYS: 0 });
    expect(() => parseEnv(records, { JOB_RECORD_RETENTION_DAYS: '-1' })).toThrow(/JOB_RECORD_RETENTION_DAYS/);
    expect(() => parseEnv(records, { JOB_RECORD_RETENTION_DAYS: '1.5' })).toThrow(
      /JOB_RECORD_RETENTION_DAYS/,
    );
  });
});
