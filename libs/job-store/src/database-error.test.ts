import { GantryError } from '@gantry/contracts';
import { describe, expect, it } from 'vitest';
import { toDatabaseError } from './database-error.js';

const pgError = (code: string, message: string) => Object.assign(new Error(message), { code });

describe('toDatabaseError', () => {
  it('keeps PostgreSQL’s own words out of what a client sees, and in the cause for the log', () => {
    const cause = pgError('23505', 'duplicate key value violates unique constraint "jobs_pkey"');
    const error = toDatabaseError(cause);
    expect(error).toMatchObject({ code: 'INTERNAL', message: 'a database query failed', details: null });
    expect(error.cause).toBe(cause);
    expect(JSON.stringify(error.toInfo())).not.toContain('jobs_pkey');
  });

  it('calls an unreachable server DATABASE_UNAVAILABLE without naming its address', () => {
    const error = toDatabaseError(pgError('ECONNREFUSED', 'connect ECONNREFUSED 10.0.3.7:5432'));
    expect(error).toMatchObject({ code: 'DATABASE_UNAVAILABLE', status: 503, details: null });
    expect(JSON.stringify(error.toInfo())).not.toContain('10.0.3.7');
  });

  it('calls a value PostgreSQL cannot store a bad request', () => {
    expect(
      toDatabaseError(pgError('22021', 'invalid byte sequence for encoding "UTF8": 0x00')),
    ).toMatchObject({
      code: 'BAD_REQUEST',
      details: { sqlstate: '22021' },
    });
  });

  it('passes a typed error through', () => {
    const typed = new GantryError('JOB_NOT_FOUND', 'no job j1');
    expect(toDatabaseError(typed)).toBe(typed);
  });
});
