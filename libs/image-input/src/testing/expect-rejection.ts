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

/** Opens every named case and expects each to fail with a GantryError of `code` ('opened' if it did not fail). */
export async function expectEachRejected(
  cases: Record<string, Buffer>,
  open: (bytes: Buffer) => Promise<unknown>,
  code: string,
): Promise<void> {
  const outcomes: Record<string, unknown> = {};
  for (const [name, bytes] of Object.entries(cases)) {
    outcomes[name] = await open(bytes).then(
      () => 'opened',
      (error: unknown) => (error instanceof GantryError ? error.code : error),
    );
  }
  expect(outcomes).toEqual(Object.fromEntries(Object.keys(cases).map((name) => [name, code])));
}
