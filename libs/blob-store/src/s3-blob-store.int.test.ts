import { randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import { ListObjectsV2Command } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { S3BlobStore } from './s3-blob-store.js';
import { describeBlobStoreContract } from './testing/blob-store-contract.js';
import { startTestS3, type TestS3 } from './testing/start-test-s3.js';

// A real S3-compatible server (s3rver) over HTTP on loopback; nothing about S3 is faked.
describeBlobStoreContract('S3BlobStore', async () => {
  const s3 = await startTestS3();
  return { store: new S3BlobStore({ client: s3.client, bucket: s3.bucket }), close: () => s3.stop() };
});

describe('S3BlobStore on a real S3-compatible server', () => {
  let s3: TestS3;
  beforeAll(async () => {
    s3 = await startTestS3();
  });
  afterAll(() => s3.stop());

  const keys = async () => {
    const page = await s3.client.send(new ListObjectsV2Command({ Bucket: s3.bucket }));
    return (page.Contents ?? []).map((object) => object.Key);
  };

  it('streams a file larger than one part as a multipart upload and reads it back whole', async () => {
    const store = new S3BlobStore({ client: s3.client, bucket: s3.bucket, keyPrefix: 'big/' });
    const bytes = randomBytes(12 * 1_024 * 1_024);
    // Many small chunks, as an HTTP upload arrives: the store never sees the file as one buffer.
    const chunks = Array.from({ length: 192 }, (_, i) => bytes.subarray(i * 65_536, (i + 1) * 65_536));
    const blob = await store.put('acme', Readable.from(chunks), { maxBytes: 20 * 1_024 * 1_024 });
    expect(blob.size).toBe(bytes.length);
    expect((await store.read('acme', blob.blob_id)).equals(bytes)).toBe(true);
    expect(await keys()).toEqual(
      expect.arrayContaining([`big/acme/${blob.blob_id}`, `big/acme/${blob.blob_id}.json`]),
    );
    await store.delete('acme', blob.blob_id);
    expect(await keys()).not.toContain(`big/acme/${blob.blob_id}`);
  });

  it('aborts an over-limit upload after parts were sent, and leaves no object', async () => {
    const store = new S3BlobStore({ client: s3.client, bucket: s3.bucket, keyPrefix: 'over/' });
    const chunk = Buffer.alloc(1_024 * 1_024, 7);
    let produced = 0;
    // An endless source: only the limit can stop it, so this also proves the limit holds while streaming.
    const endless = new Readable({
      read() {
        produced += chunk.length;
        this.push(chunk);
      },
    });
    await expect(store.put('acme', endless, { maxBytes: 11 * 1_024 * 1_024 })).rejects.toMatchObject({
      code: 'PAYLOAD_TOO_LARGE',
    });
    expect(produced).toBeLessThan(40 * 1_024 * 1_024);
    expect((await keys()).filter((key) => key?.startsWith('over/'))).toEqual([]);
  });

  it('finds a blob written before the metadata of a crashed upload, so it can be swept', async () => {
    const store = new S3BlobStore({ client: s3.client, bucket: s3.bucket, keyPrefix: 'crash/' });
    const blob = await store.put('acme', Readable.from([Buffer.from('x')]), { maxBytes: 10 });
    const { DeleteObjectCommand } = await import('@aws-sdk/client-s3');
    await s3.client.send(
      new DeleteObjectCommand({ Bucket: s3.bucket, Key: `crash/acme/${blob.blob_id}.json` }),
    );
    const found = [];
    for await (const listed of store.listWrittenBefore(new Date(Date.now() + 60_000)))
      found.push(listed.blob_id);
    expect(found).toEqual([blob.blob_id]);
    expect(await store.stat('acme', blob.blob_id)).toBeNull();
  });
});
