import { createHash } from 'node:crypto';
import { PassThrough, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import {
  DeleteObjectCommand,
  GetObjectCommand,
  ListObjectsV2Command,
  NoSuchKey,
  PutObjectCommand,
  type S3Client,
} from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import { GantryError } from '@gantry/contracts';
import { isBlobId, newBlobId, tenantSegment } from './blob-names.js';
import type { BlobStore, ListedBlob, PutBlobOptions, StoredBlob } from './blob-store.js';
import { type ByteSource, headFirstByteSource, sniffHeadBytes } from './byte-source.js';
import { meterUpload } from './meter-upload.js';
import { sniffMediaType } from './sniff-media-type.js';

export interface S3BlobStoreOptions {
  client: S3Client;
  bucket: string;
  /** Prepended to every key (`<prefix><tenant>/<blob_id>`), so one bucket can hold several stacks. */
  keyPrefix?: string;
  /** Bytes of one multipart part (S3's minimum is 5 MiB); at most `queueSize` of them are in memory per upload. */
  partSize?: number;
  queueSize?: number;
}

const minPartSize = 5 * 1_024 * 1_024;

/**
 * Blobs in an S3-compatible bucket: `<prefix><tenant>/<blob_id>` holds the bytes and
 * `<prefix><tenant>/<blob_id>.json` the metadata, written last, so a blob exists for `stat` only
 * once it is complete. Uploads stream as multipart parts: memory per upload is bounded by
 * `partSize × queueSize`, whatever the file's size.
 */
export class S3BlobStore implements BlobStore {
  private readonly client: S3Client;
  private readonly bucket: string;
  private readonly keyPrefix: string;
  private readonly partSize: number;
  private readonly queueSize: number;

  constructor(options: S3BlobStoreOptions) {
    this.client = options.client;
    this.bucket = options.bucket;
    this.keyPrefix = options.keyPrefix ?? '';
    this.partSize = Math.max(options.partSize ?? minPartSize, minPartSize);
    this.queueSize = options.queueSize ?? 2;
  }

  async put(tenant: string, source: Readable, options: PutBlobOptions): Promise<StoredBlob> {
    const blobId = newBlobId();
    const key = this.key(tenant, blobId);
    const hash = createHash('sha256');
    const meter = meterUpload(options.maxBytes, hash, sniffHeadBytes);
    const body = new PassThrough();
    const upload = new Upload({
      client: this.client,
      params: { Bucket: this.bucket, Key: key, Body: body },
      partSize: this.partSize,
      queueSize: this.queueSize,
    });
    try {
      // An over-limit stream errors `body`: the upload then fails and aborts its multipart upload.
      await Promise.all([pipeline(source, meter.transform, body), upload.done()]);
      const size = meter.size();
      const blob: StoredBlob = {
        blob_id: blobId,
        tenant,
        media_type: options.mediaType ?? (await sniffMediaType(this.byteSource(key, size, meter.head()))),
        declared_type: options.declaredType ?? null,
        size,
        sha256: hash.digest('hex'),
        filename: options.filename ?? null,
        created_at: new Date().toISOString(),
      };
      await this.client.send(
        new PutObjectCommand({
          Bucket: this.bucket,
          Key: `${key}.json`,
          Body: JSON.stringify(blob),
          ContentType: 'application/json',
        }),
      );
      return blob;
    } catch (error) {
      // A failed upload leaves the stream unread: end it, so the source is drained or released.
      body.destroy();
      await upload.abort().catch(() => undefined);
      // A small upload is one PutObject that may have landed before a later step failed.
      await this.deleteKey(key).catch(() => undefined);
      throw error;
    }
  }

  async stat(tenant: string, blobId: string): Promise<StoredBlob | null> {
    const key = this.key(tenant, blobId);
    if (!isBlobId(blobId)) return null;
    const text = await this.getText(`${key}.json`);
    if (text === null) return null;
    const blob = JSON.parse(text) as StoredBlob;
    return blob.tenant === tenant ? blob : null;
  }

  async read(tenant: string, blobId: string): Promise<Buffer> {
    if (!(await this.stat(tenant, blobId))) {
      throw new GantryError('BLOB_NOT_FOUND', `blob ${blobId} not found`);
    }
    const object = await this.client.send(
      new GetObjectCommand({ Bucket: this.bucket, Key: this.key(tenant, blobId) }),
    );
    if (!object.Body) throw new GantryError('BLOB_NOT_FOUND', `blob ${blobId} has no bytes`);
    return Buffer.from(await object.Body.transformToByteArray());
  }

  async delete(tenant: string, blobId: string): Promise<void> {
    if (!isBlobId(blobId)) return;
    const key = this.key(tenant, blobId);
    // One DeleteObject per key, not DeleteObjects: that one needs a checksum some S3-compatible stores reject.
    // The metadata first: the blob is gone for readers before its bytes are.
    await this.deleteKey(`${key}.json`);
    await this.deleteKey(key);
  }

  async *listWrittenBefore(before: Date): AsyncIterable<ListedBlob> {
    let token: string | undefined;
    do {
      const page = await this.client.send(
        new ListObjectsV2Command({
          Bucket: this.bucket,
          Prefix: this.keyPrefix,
          ...(token ? { ContinuationToken: token } : {}),
        }),
      );
      for (const object of page.Contents ?? []) {
        const [tenant, blobId, ...rest] = (object.Key ?? '').slice(this.keyPrefix.length).split('/');
        // Bytes, not metadata: a crash between the two leaves bytes without metadata, and they must go too.
        if (!tenant || !blobId || rest.length > 0 || !isBlobId(blobId) || !object.LastModified) continue;
        if (object.LastModified < before) yield { tenant, blob_id: blobId, written_at: object.LastModified };
      }
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (token);
  }

  private key(tenant: string, blobId: string): string {
    return `${this.keyPrefix}${tenantSegment(tenant)}/${blobId}`;
  }

  private async deleteKey(key: string): Promise<void> {
    await this.client.send(new DeleteObjectCommand({ Bucket: this.bucket, Key: key }));
  }

  private async getText(key: string): Promise<string | null> {
    try {
      const object = await this.client.send(new GetObjectCommand({ Bucket: this.bucket, Key: key }));
      return (await object.Body?.transformToString('utf8')) ?? null;
    } catch (error) {
      if (error instanceof NoSuchKey) return null;
      throw error;
    }
  }

  /** The stored object for the sniffer: the kept head from memory, anything past it by range request. */
  private byteSource(key: string, size: number, head: Buffer): ByteSource {
    return headFirstByteSource(head, size, async (position, end) => {
      const object = await this.client.send(
        new GetObjectCommand({ Bucket: this.bucket, Key: key, Range: `bytes=${position}-${end - 1}` }),
      );
      return (await object.Body?.transformToByteArray()) ?? new Uint8Array();
    });
  }
}
