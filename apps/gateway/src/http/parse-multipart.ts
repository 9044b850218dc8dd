import type { BlobStore, StoredBlob } from '@gantry/blob-store';
import { GantryError } from '@gantry/contracts';
import busboy from 'busboy';
import type { Request } from 'express';
import { PassThrough } from 'node:stream';
import type { UploadQuota } from '../limits/upload-quota.js';

export interface MultipartJob {
  blob: StoredBlob | null;
  input: Record<string, unknown>;
  /** As sent: a number when the field is numeric, else the raw text; the caller validates it like JSON. */
  priority?: unknown;
  /** The `expires_in` field as sent (seconds), like `priority`; the route validates it. */
  expiresIn?: unknown;
  /** The `webhook` and `email` parts, parsed as JSON; the route validates them as in a JSON body. */
  webhook?: unknown;
  email?: unknown;
}

export interface MultipartLimits {
  fileBytes: number;
  fieldBytes: number;
}

/** Parts, fields and field names a job upload may have; part headers are capped by busboy (16 KiB). */
const partLimits = { files: 1, fields: 6, parts: 8, fieldNameSize: 64 };
const numeric = /^-?\d+(?:\.\d+)?$/;

/**
 * Streams the `file` part straight into the blob store (never buffered whole, never in Redis) and reads
 * the `input`, `webhook` and `email` (JSON), `priority` and `expires_in` parts; any other part is a 400. Counts the upload against
 * the tenant's daily bytes, when there is such a quota.
 */
export async function parseMultipart(
  req: Request,
  tenant: string,
  blobs: BlobStore,
  limits: MultipartLimits,
  uploads?: UploadQuota,
): Promise<MultipartJob> {
  const allowance = uploads ? await uploads.allowance(tenant) : Number.POSITIVE_INFINITY;
  const overQuota = uploads && allowance < limits.fileBytes ? () => uploads.exceeded() : null;
  const parsed = await readMultipart(req, tenant, blobs, {
    maxBytes: Math.min(limits.fileBytes, allowance),
    fieldBytes: limits.fieldBytes,
    overQuota,
  });
  if (parsed.blob && uploads) await uploads.add(tenant, parsed.blob.size).catch(() => undefined);
  return parsed;
}

/**
 * The parse itself. It settles exactly once, and only after the upload has: an aborted request or a
 * file over the limit stops the read at once (the rest is never read; the answer closes the connection),
 * and its partial file is gone from the store before the promise rejects.
 */
function readMultipart(
  req: Request,
  tenant: string,
  blobs: BlobStore,
  limits: { maxBytes: number; fieldBytes: number; overQuota: (() => GantryError) | null },
): Promise<MultipartJob> {
  return new Promise((resolve, reject) => {
    let parser: busboy.Busboy;
    try {
      // A file name is read as UTF-8, the way browsers, curl and fetch send it (busboy's default is latin1).
      parser = busboy({
        headers: req.headers,
        defParamCharset: 'utf8',
        limits: { ...partLimits, fieldSize: limits.fieldBytes },
      });
    } catch (error) {
      reject(new GantryError('BAD_REQUEST', `bad multipart request: ${(error as Error).message}`));
      return;
    }
    let upload: Promise<StoredBlob> | null = null;
    let pass: PassThrough | null = null;
    let input: Record<string, unknown> = {};
    let priority: unknown;
    let expiresIn: unknown;
    const notify: { webhook?: unknown; email?: unknown } = {};
    let failure: GantryError | null = null;
    let settled = false;
    const fail = (error: GantryError) => {
      failure ??= error;
    };
    const deleteUpload = () =>
      (upload ?? Promise.resolve(null)).then(
        (blob) => (blob ? blobs.delete(tenant, blob.blob_id) : undefined),
        () => undefined,
      );

    /** Stops reading now: the request is answered at once and its connection closed after the answer. */
    const stop = (error: GantryError) => {
      if (settled) return;
      settled = true;
      req.unpipe(parser);
      req.res?.setHeader('Connection', 'close');
      pass?.destroy(error);
      parser.destroy();
      void deleteUpload().finally(() => reject(error));
    };

    parser.on('file', (name, stream, info) => {
      // busboy ends a cut-off part by destroying its stream with an error; the parse reports it.
      stream.on('error', () => undefined);
      if (name !== 'file' || failure) {
        fail(
          failure ??
            new GantryError('BAD_REQUEST', `unexpected file part "${name}"; send the file as "file"`),
        );
        stream.resume();
        return;
      }
      const into = new PassThrough();
      // stop() may destroy it after the store is done with it: the store reports its own failures.
      into.on('error', () => undefined);
      pass = into;
      stream.pipe(into);
      const stored = blobs.put(tenant, into, {
        filename: info.filename ?? null,
        declaredType: info.mimeType ?? null,
        maxBytes: limits.maxBytes,
      });
      upload = stored;
      stored.catch((error: unknown) => {
        const tooLarge = error instanceof GantryError && error.code === 'PAYLOAD_TOO_LARGE';
        if (tooLarge && limits.overQuota) stop(limits.overQuota());
        else if (error instanceof GantryError) stop(error);
        else stop(new GantryError('INTERNAL', 'the upload could not be stored', { cause: error }));
      });
    });
    const fieldsSeen = new Set<string>();
    parser.on('field', (name, value, info) => {
      // A part sent twice is ambiguous (which input did the client mean?): refused, never the last one kept.
      const repeated = fieldsSeen.has(name);
      fieldsSeen.add(name);
      if (repeated) {
        fail(new GantryError('BAD_REQUEST', `the "${name}" part is sent twice`));
      } else if (info.valueTruncated) {
        fail(
          new GantryError(
            'PAYLOAD_TOO_LARGE',
            `field "${name}" is over the ${limits.fieldBytes}-byte limit`,
            {
              details: { limit_bytes: limits.fieldBytes },
            },
          ),
        );
      } else if (info.nameTruncated) {
        fail(new GantryError('BAD_REQUEST', 'a field name is too long'));
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
        priority = numeric.test(value) ? Number(value) : value;
      } else if (name === 'expires_in') {
        expiresIn = numeric.test(value) ? Number(value) : value;
      } else if (name === 'webhook' || name === 'email') {
        try {
          notify[name] = JSON.parse(value) as unknown;
        } catch {
          fail(new GantryError('BAD_REQUEST', `the "${name}" part must be JSON`));
        }
      } else {
        fail(
          new GantryError(
            'BAD_REQUEST',
            `unexpected field "${name}"; expected "input", "priority", "expires_in", "webhook", "email" and "file"`,
          ),
        );
      }
    });
    parser.on('partsLimit', () =>
      fail(new GantryError('BAD_REQUEST', `too many multipart parts (at most ${partLimits.parts})`)),
    );
    parser.on('fieldsLimit', () =>
      fail(new GantryError('BAD_REQUEST', `too many fields (at most ${partLimits.fields})`)),
    );
    parser.on('filesLimit', () => fail(new GantryError('BAD_REQUEST', 'send one file')));
    // A malformed body (bad boundary, a part header over 16 KiB) ends the parse: busboy stops its file
    // stream without ending it, so the upload is stopped here too.
    parser.on('error', (error: Error) =>
      stop(new GantryError('BAD_REQUEST', `bad multipart body: ${error.message}`)),
    );
    parser.on('close', () => {
      if (settled) return;
      const pending: Promise<StoredBlob | null> = upload ?? Promise.resolve(null);
      // A failed upload stops the parse itself (above); here only a finished one is waited for.
      pending.then(
        async (blob) => {
          if (settled) return;
          settled = true;
          if (failure) {
            if (blob) await blobs.delete(tenant, blob.blob_id).catch(() => undefined);
            reject(failure);
          } else {
            resolve({
              blob,
              input,
              ...(priority === undefined ? {} : { priority }),
              ...(expiresIn === undefined ? {} : { expiresIn }),
              ...notify,
            });
          }
        },
        () => undefined,
      );
    });
    req.on('close', () => {
      if (!req.complete) stop(new GantryError('BAD_REQUEST', 'request aborted'));
    });
    req.pipe(parser);
  });
}
