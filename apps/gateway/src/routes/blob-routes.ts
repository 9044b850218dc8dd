import type { BlobStore } from '@gantry/blob-store';
import { GantryError } from '@gantry/contracts';
import { type Request, type Response, type IRouter } from 'express';
import { requireScope, tenantOf } from '../http/authenticate.js';
import { parseMultipart } from '../http/parse-multipart.js';
import { notFound } from '../http/send-error.js';
import type { UploadQuota } from '../limits/upload-quota.js';

/**
 * `POST /v1/blobs`: upload once, reference it from many jobs as `{ "blob_id": … }`.
 * `GET /v1/blobs/{id}`: the bytes of one of the tenant's blobs (an upload, or a file a job wrote, such
 * as `vision.enhance`'s output), with its sniffed media type.
 */
export function blobRoutes(router: IRouter, blobs: BlobStore, fileBytes: number, uploads: UploadQuota): void {
  router.post('/v1/blobs', requireScope('jobs'), async (req: Request, res: Response) => {
    if (!req.is('multipart/form-data')) {
      throw new GantryError(
        'UNSUPPORTED_MEDIA_TYPE',
        'upload a blob as multipart/form-data with a "file" part',
      );
    }
    const { blob } = await parseMultipart(
      req,
      tenantOf(req),
      blobs,
      { fileBytes, fieldBytes: 1_024 },
      uploads,
    );
    if (!blob) throw new GantryError('BAD_REQUEST', 'no "file" part');
    const { tenant, ...visible } = blob;
    res.status(201).json(visible);
  });

  router.get('/v1/blobs/:id', requireScope('jobs'), async (req: Request, res: Response) => {
    const id = String(req.params['id']);
    const blob = await blobs.stat(tenantOf(req), id);
    if (!blob) throw notFound('blob', id);
    const bytes = await blobs.read(blob.tenant, blob.blob_id);
    // attachment() first: it sets a type from the file name's extension, which the sniffed type replaces.
    if (blob.filename) res.attachment(blob.filename);
    res.type(blob.media_type).setHeader('Content-Length', String(bytes.length));
    res.end(bytes);
  });
}
