import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { errorCodes } from './error-codes.js';
import { GantryError } from './gantry-error.js';

describe('error registry', () => {
  it('is documented row by row in the README, with the same status and retryability', async () => {
    const readme = await readFile(path.resolve(import.meta.dirname, '../../../README.md'), 'utf8');
    for (const [code, info] of Object.entries(errorCodes)) {
      const row = new RegExp(
        `\\|\\s*\`${code}\`\\s*\\|\\s*${info.status}\\s*\\|\\s*${info.retryable ? 'yes' : 'no'}\\s*\\|`,
      );
      expect(readme, code).toMatch(row);
    }
  });

  it('turns anything thrown into a typed error once', () => {
    const error = GantryError.from(new Error('boom'));
    expect(error.toInfo()).toEqual({ code: 'INTERNAL', message: 'boom', retryable: true, details: null });
    expect(new GantryError('MEDIA_TOO_LARGE', 'big').status).toBe(413);
  });

  it('comes back from its info as it was, an unknown code as the fallback', () => {
    const sent = new GantryError('MEDIA_TOO_LARGE', 'too many pages', {
      details: { pages: 60 },
      retryable: true,
    });
    const back = GantryError.fromInfo(sent.toInfo());
    expect(back).toBeInstanceOf(GantryError);
    expect(back.toInfo()).toEqual(sent.toInfo());
    const unknown = { code: 'FROM_A_NEWER_BUILD', message: 'x', retryable: false, details: null };
    expect(GantryError.fromInfo(unknown, 'ENGINE_CRASHED').toInfo()).toEqual({
      ...unknown,
      code: 'ENGINE_CRASHED',
    });
  });
});
