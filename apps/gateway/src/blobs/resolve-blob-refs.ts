import type { BlobStore, StoredBlob } from '@gantry/blob-store';
import { type BlobRef, GantryError } from '@gantry/contracts';

export interface ResolveBlobRefsOptions {
  /** The input's fields that may name a blob (a contract's blob fields, or every top-level field). */
  fields: readonly string[];
  tenant: string;
  blobs: Pick<BlobStore, 'stat'>;
  /** Media types the job type reads; empty: any. */
  accepts?: readonly string[];
  /** Named in the error of a blob the job type does not read. */
  type?: string;
  /** A blob this very request uploaded: taken as it is, not looked up again. */
  uploaded?: StoredBlob | null;
  /** Where the input sits in the request body, for the errors' `details.path` (e.g. `['target', 'input']`). */
  path?: readonly (string | number)[];
}

/**
 * Fills each `{ "blob_id" }` of `fields` with the stored blob's full reference — the tenant's own blobs
 * only, so another tenant's id answers `BLOB_NOT_FOUND` exactly like one that never existed — and checks
 * its sniffed type. Whatever else the caller wrote beside `blob_id` (a media type, a size) is replaced by
 * what the store knows, so a forged reference cannot pass for a type the job reads.
 */
export async function resolveBlobRefs(
  input: Record<string, unknown>,
  options: ResolveBlobRefsOptions,
): Promise<Record<string, unknown>> {
  const resolved = { ...input };
  for (const field of options.fields) {
    const value = input[field] as Partial<BlobRef> | null | undefined;
    if (!value || typeof value !== 'object' || typeof value.blob_id !== 'string') continue;
    const path = [...(options.path ?? []), field];
    const blob =
      value.blob_id === options.uploaded?.blob_id
        ? options.uploaded
        : await options.blobs.stat(options.tenant, value.blob_id);
    if (!blob) {
      throw new GantryError('BLOB_NOT_FOUND', `no blob ${value.blob_id}`, { details: { field, path } });
    }
    const accepts = options.accepts ?? [];
    if (accepts.length > 0 && !accepts.includes(blob.media_type)) {
      throw new GantryError(
        'UNSUPPORTED_MEDIA_TYPE',
        `"${options.type ?? 'this job type'}" does not read ${blob.media_type} files`,
        { details: { media_type: blob.media_type, declared_type: blob.declared_type, accepts, path } },
      );
    }
    resolved[field] = {
      blob_id: blob.blob_id,
      media_type: blob.media_type,
      size: blob.size,
      sha256: blob.sha256,
      ...(blob.filename ? { filename: blob.filename } : {}),
    } satisfies BlobRef;
  }
  return resolved;
}
