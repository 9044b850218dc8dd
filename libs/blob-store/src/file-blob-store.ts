import { createHash } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, open, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { GantryError } from '@gantry/contracts';
import { isBlobId, newBlobId, tenantSegment } from './blob-names.js';
import type { BlobStore, ListedBlob, PutBlobOptions, StoredBlob } from './blob-store.js';
import { fileByteSource } from './byte-source.js';
import { meterUpload } from './meter-upload.js';
import { sniffMediaType } from './sniff-media-type.js';

/** Blobs as files: `<root>/<tenant>/<blob_id>` plus a `.json` sidecar with their metadata. */
export class FileBlobStore implements BlobStore {
  constructor(private readonly root: string) {}

  async put(tenant: string, source: Readable, options: PutBlobOptions): Promise<StoredBlob> {
    const dir = this.tenantDir(tenant);
    await mkdir(dir, { recursive: true });
    const blobId = newBlobId();
    const partial = path.join(dir, `${blobId}.partial`);
    const hash = createHash('sha256');
    const meter = meterUpload(options.maxBytes, hash);
    try {
      await pipeline(source, meter.transform, createWriteStream(partial));
      const blob: StoredBlob = {
        blob_id: blobId,
        tenant,
        media_type: await sniffFile(partial, meter.size()),
        declared_type: options.declaredType ?? null,
        size: meter.size(),
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
    const dir = this.tenantDir(tenant);
    if (!isBlobId(blobId)) return null;
    try {
      const blob = JSON.parse(await readFile(`${path.join(dir, blobId)}.json`, 'utf8'));
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
    if (!isBlobId(blobId)) return;
    const file = path.join(this.tenantDir(tenant), blobId);
    // The sidecar first: the blob is gone for readers before its bytes are.
    await rm(`${file}.json`, { force: true });
    await rm(file, { force: true });
  }

  async *listWrittenBefore(before: Date): AsyncIterable<ListedBlob> {
    for (const tenant of await readdirOrEmpty(this.root)) {
      const dir = path.join(this.root, tenant);
      for (const name of await readdirOrEmpty(dir)) {
        // Bytes, not sidecars: a crash between the two leaves bytes without metadata, and they must go too.
        if (!isBlobId(name)) continue;
        const written = await stat(path.join(dir, name)).catch(() => null);
        if (written && written.mtime < before) yield { tenant, blob_id: name, written_at: written.mtime };
      }
    }
  }

  private tenantDir(tenant: string): string {
    return path.join(this.root, tenantSegment(tenant));
  }
}

async function sniffFile(file: string, size: number): Promise<string> {
  const handle = await open(file, 'r');
  try {
    return await sniffMediaType(fileByteSource(handle, size));
  } finally {
    await handle.close();
  }
}

async function readdirOrEmpty(dir: string): Promise<string[]> {
  try {
    return await readdir(dir);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
}
