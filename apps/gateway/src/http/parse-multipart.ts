import type { BlobStore, StoredBlob } from '@gantry/blob-store';
import { GantryError } from '@gantry/contracts';
import busboy from 'busboy';
import type { Request } from 'express';
import { PassThrough } from 'node:stream';

export interface MultipartJob {
  blob: StoredBlob | null;
  input: Record<string, unknown>;
  priority?: number;
  /** The `expires_in` field as sent (seconds); the route validates it. */
  expiresIn?: number;
}

/**
 * Streams the `file` part straight into the blob store (never buffered whole, never in Redis)
 * and reads the `input` (JSON), `priority` and `expires_in` parts. Any other part is a 400.
 */
export function parseMultipart(
  req: Request,
  tenant: string,
  blobs: BlobStore,
  limits: { fileBytes: number; fieldBytes: number },
): Promise<MultipartJob> {
  return new Promise((resolve, reject) => {
    let parser: busboy.Busboy;
    try {
      parser = busboy({
        headers: req.headers,
        limits: { files: 1, fields: 4, fieldSize: limits.fieldBytes, parts: 6 },
      });
    } catch (error) {
      reject(new GantryError('BAD_REQUEST', `bad multipart request: ${(error as Error).message}`));
      return;
    }
    let upload: Promise<StoredBlob> | null = null;
    let input: Record<string, unknown> = {};
    let priority: number | undefined;
    let expiresIn: number | undefined;
    let failure: GantryError | null = null;
    const fail = (error: GantryError) => {
      failure ??= error;
    };

    parser.on('file', (name, stream, info) => {
      if (name !== 'file') {
        fail(new GantryError('BAD_REQUEST', `unexpected file part "${name}"; send the file as "file"`));
        stream.resume();
        return;
      }
      // The store may stop reading (over the limit); busboy must still see the whole part, so the
      // store reads a pass-through and the rest of a refused file is drained here.
      const pass = new PassThrough();
      stream.pipe(pass);
      upload = blobs.put(tenant, pass, {
        filename: info.filename ?? null,
        declaredType: info.mimeType ?? null,
        maxBytes: limits.fileBytes,
      });
      upload.catch(() => {
        stream.unpipe(pass);
        stream.resume();
      });
    });
    parser.on('field', (name, value, info) => {
      if (info.valueTruncated) {
        fail(
          new GantryError('PAYLOAD_TOO_LARGE', `field "${name}" is over the ${limits.fieldBytes}-byte limit`),
        );
      } else if (name === 'input') {
        try {
          const parsed: unknown = JSON.parse(value);
          if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed))
            throw new Error('not an object');
          input = parsed as Record<string, unknown>;
        } catch {
          fail(new GantryError('BAD_REQUEST', 'the "input" part must be a JSON object'));
        }
      } else if (name === 'priority') {
        priority = Number(value);
      } else if (name === 'expires_in') {
        expiresIn = Number(value);
      } else {
        fail(
          new GantryError(
            'BAD_REQUEST',
            `unexpected field "${name}"; expected "input", "priority", "expires_in" and "file"`,
          ),
        );
      }
    });
    parser.on('partsLimit', () => fail(new GantryError('BAD_REQUEST', 'too many multipart parts')));
    parser.on('filesLimit', () => fail(new GantryError('BAD_REQUEST', 'send one file')));
    parser.on('error', (error: Error) =>
      fail(new GantryError('BAD_REQUEST', `bad multipart body: ${error.message}`)),
    );
    parser.on('close', () => {
      const pending: Promise<StoredBlob | null> = upload ?? Promise.resolve(null);
      pending.then(
        async (blob) => {
          if (failure) {
            if (blob) await blobs.delete(tenant, blob.blob_id);
            reject(failure);
          } else {
            resolve({
              blob,
              input,
              ...(priority === undefined ? {} : { priority }),
              ...(expiresIn === undefined ? {} : { expiresIn }),
            });
          }
        },
        (error: unknown) => reject(GantryError.from(error, 'BAD_REQUEST')),
      );
    });
    req.on('aborted', () => fail(new GantryError('BAD_REQUEST', 'request aborted')));
    req.pipe(parser);
  });
}
