import { describe, expect, it } from 'vitest';
import { z } from 'zod';
describe('probe', () => {
  it('works', () => {
    expect(z.string().parse('a')).toBe('a');
  });
});
