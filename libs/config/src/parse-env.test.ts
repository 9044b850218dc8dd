import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { positiveInt, sharedEnv } from './env-fragments.js';
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
});
