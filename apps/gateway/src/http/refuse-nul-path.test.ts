import { GantryError } from '@gantry/contracts';
import type { Request, Response } from 'express';
import { describe, expect, it } from 'vitest';
import { refuseNulPath } from './refuse-nul-path.js';

const pass = (path: string) => {
  let passed: unknown = 'not called';
  refuseNulPath({ path } as Request, {} as Response, (error?: unknown) => {
    passed = error;
  });
  return passed;
};

describe('refuseNulPath', () => {
  it('refuses a path with an encoded NUL byte as a bad request', () => {
    const error = pass('/v1/jobs/%00');
    expect(error).toBeInstanceOf(GantryError);
    expect((error as GantryError).code).toBe('BAD_REQUEST');
    expect(pass('/v1/jobs/a%00b/events')).toBeInstanceOf(GantryError);
  });

  it('lets every other path through', () => {
    expect(pass('/v1/jobs/3f1c2a')).toBeUndefined();
    expect(pass('/v1/jobs/%2500')).toBeUndefined();
  });
});
