import { randomUUID } from 'node:crypto';
import { GantryError } from '@gantry/contracts';

const tenantPattern = /^[A-Za-z0-9_-]{1,64}$/;
const blobIdPattern = /^blob_[a-f0-9-]{36}$/;

/** A new blob id; ids are random, so one tenant cannot guess another's. */
export const newBlobId = (): string => `blob_${randomUUID()}`;

/** Whether `blobId` has the shape this store gives out (anything else cannot name a stored blob). */
export const isBlobId = (blobId: string): boolean => blobIdPattern.test(blobId);

/**
 * The tenant as a path segment or key segment. Every store places a blob under its tenant's own
 * folder or key prefix, so a tenant id that could climb out of it (`..`, `/`) is refused.
 */
export function tenantSegment(tenant: string): string {
  if (!tenantPattern.test(tenant)) throw new GantryError('BAD_REQUEST', 'invalid tenant id');
  return tenant;
}
