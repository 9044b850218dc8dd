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
