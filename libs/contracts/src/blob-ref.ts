import { z } from 'zod';

/**
 * A reference to an uploaded blob. Bytes never travel through Redis: the gateway streams an
 * upload into the blob store and puts this reference into the job input. Clients may also pass
 * `{ "blob_id": "…" }` of a blob they uploaded earlier; the gateway fills in the rest.
 */
export const BlobRef = z
  .object({
    blob_id: z.string().min(1).max(100),
    media_type: z.string().optional().describe('Media type sniffed from the bytes'),
    size: z.number().int().nonnegative().optional(),
    sha256: z.string().length(64).optional(),
    filename: z.string().max(255).optional(),
  })
  .meta({ id: 'BlobRef', gantry: 'blob' });
export type BlobRef = z.infer<typeof BlobRef>;

/**
 * A stored blob as `POST /v1/blobs` answers it: every field of its reference filled in, and what the store
 * knows besides. Name it from a job's input or a schedule's target as `{ "blob_id": … }`.
 */
export const BlobObject = z.object({
  blob_id: z.string(),
  media_type: z.string().describe('Sniffed from the bytes'),
  declared_type: z.string().nullable().describe('The type the upload declared: a hint, never trusted'),
  size: z.number().int().nonnegative(),
  sha256: z.string().length(64),
  filename: z.string().nullable(),
  created_at: z.iso.datetime(),
});
export type BlobObject = z.infer<typeof BlobObject>;
