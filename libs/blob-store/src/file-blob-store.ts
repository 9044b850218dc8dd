import { createHash, randomUUID } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { GantryError } from '@gantry/contracts';
import type { BlobStore, PutBlobOptions, StoredBlob } from './blob-store.js';
import { sniffMediaType } from './sniff-media-type.js';

const tenantPattern = /^[A-Za-z0-9_-]{1,64}$/;
const blobIdPattern = /^blob_[a-f0-9-]{36}$/;

/** Blobs as files: `<root>/<tenant>/<blob_id>` plus a `.json` sidecar with their metadata. */
export class FileBlobStore implements BlobStore {
  constructor(private readonly root: string) {}

  async put(tenant: string, source: Readable, options: PutBlobOptions): Promise<StoredBlob> {
    const dir = this.tenantDir(tenant);
    await mkdir(dir, { recursive: true });
    const blobId = `blob_${randomUUID()}`;
    const partial = path.join(dir, `${blobId}.partial`);
    const hash = createHash('sha256');
    let size = 0;
    try {
      await pipeline(
        source,
        async function* (chunks: AsyncIterable<Buffer>) {
          for await (const chunk of chunks) {
            size += chunk.length;
            if (size > options.maxBytes) {
              throw new GantryError('PAYLOAD_TOO_LARGE', `file is over the ${options.maxBytes}-byte limit`, {
                details: { limit_bytes: options.maxBytes },
              });
            }
            hash.update(chunk);
            yield chunk;
          }
        },
        createWriteStream(partial),
      );
      const blob: StoredBlob = {
        blob_id: blobId,
        tenant,
        media_type: await sniffMediaType(partial),
        declared_type: options.declaredType ?? null,
        size,
        sha256: hash.digest('hex'),
        filename: options.filename ?? null,
        created_at: new Date().toISOString(),
      };
      await writeFile(`${path.join(dir, blobId)}.json`, JSON.stringify(blob));
      await rename(partial, path.join(dir, blobId));
      return blob;
    } catch (error) {
      await rm(partial, { force: true });
      throw error;
    }
  }

  async stat(tenant: string, blobId: string): Promise<StoredBlob | null> {
    if (!blobIdPattern.test(blobId)) return null;
    try {
      const blob = JSON.parse(await readFile(`${path.join(this.tenantDir(tenant), blobId)}.json`, 'utf8'));
      return blob.tenant === tenant ? (blob as StoredBlob) : null;
    } catch {
      return null;
    }
  }

  async read(tenant: string, blobId: string): Promise<Buffer> {
    if (!(await this.stat(tenant, blobId))) {
      throw new GantryError('BLOB_NOT_FOUND', `blob ${blobId} not found`);
    }
    return readFile(path.join(this.tenantDir(tenant), blobId));
  }

  async delete(tenant: string, blobId: string): Promise<void> {
    if (!blobIdPattern.test(blobId)) return;
    const file = path.join(this.tenantDir(tenant), blobId);
    await Promise.all([rm(file, { force: true }), rm(`${file}.json`, { force: true })]);
  }

  private tenantDir(tenant: string): string {
    if (!tenantPattern.test(tenant)) throw new GantryError('BAD_REQUEST', 'invalid tenant id');
    return path.join(this.root, tenant);
  }
}
