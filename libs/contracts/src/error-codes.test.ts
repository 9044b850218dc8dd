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
});
