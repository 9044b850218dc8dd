import { GantryError } from '@gantry/contracts';
import { describe, expect, it } from 'vitest';
import { decodeJobCursor, encodeJobCursor } from './job-cursor.js';

describe('job cursor', () => {
  it('round-trips through an opaque url-safe string', () => {
    const cursor = { createdAt: '2026-01-01T00:00:00.001Z', id: 'job/+=?' };
    const encoded = encodeJobCursor(cursor);
    expect(encoded).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(decodeJobCursor(encoded)).toEqual(cursor);
  });

  it.each([
    '',
    'nope',
    Buffer.from('{"a":1}').toString('base64url'),
    Buffer.from('["soon","x"]').toString('base64url'),
  ])('rejects %j as BAD_REQUEST', (value) => {
    expect(() => decodeJobCursor(value)).toThrow(GantryError);
    expect(() => decodeJobCursor(value)).toThrow(expect.objectContaining({ code: 'BAD_REQUEST' }));
  });
});
