import { GantryError } from '@gantry/contracts';
import { expect } from 'vitest';

/** Waits for `promise` to fail with a GantryError of `code`, and returns that error. */
export async function expectRejection(promise: Promise<unknown>, code: string): Promise<GantryError> {
  const error = await promise.then(
    () => null,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(GantryError);
  expect((error as GantryError).code).toBe(code);
  return error as GantryError;
}
