import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { S3Client } from '@aws-sdk/client-s3';
import type { BlobStoreConfig } from '../create-blob-store.js';

// The fork of s3rver ships no types (and a declaration file here would not reach the projects that
// compile this file from source): this is the part of its API the tests use.
interface S3rverServer {
  run(): Promise<{ address: string; port: number }>;
  close(): Promise<void>;
}
type S3rverClass = new (options: {
  address: string;
  port: number;
  silent: boolean;
  allowMismatchedSignatures: boolean;
  directory: string;
  configureBuckets: { name: string }[];
}) => S3rverServer;
const require = createRequire(import.meta.url);
const S3rver = require('@20minutes/s3rver') as S3rverClass;

export interface TestS3 {
  /** A client of the server, for tests that look at the bucket itself. */
  client: S3Client;
  bucket: string;
  /** The blob store settings that point at this server (credentials: pass `credentials`). */
  config: BlobStoreConfig;
  /** Keys to sign with (any keys do); the SDK's env chain would find them as AWS_ACCESS_KEY_ID/…. */
  credentials: { accessKeyId: string; secretAccessKey: string };
  stop(): Promise<void>;
}

/**
 * A real S3-compatible server (s3rver: the S3 REST API over HTTP, objects on disk in a temporary
 * folder) on a free loopback port, with one empty bucket. Signatures are not checked: s3rver signs
 * a bucket-level request's path as `/bucket` where the AWS SDK v3 signs `/bucket/`, so every listing
 * would fail with SignatureDoesNotMatch (a fault of the test server, not of the client).
 */
export async function startTestS3(): Promise<TestS3> {
  const directory = await mkdtemp(path.join(tmpdir(), 'gantry-s3-'));
  const bucket = `gantry-test-${randomBytes(4).toString('hex')}`;
  const server = new S3rver({
    address: '127.0.0.1',
    port: 0,
    silent: true,
    allowMismatchedSignatures: true,
    directory,
    configureBuckets: [{ name: bucket }],
  });
  const { port } = await server.run();
  const endpoint = `http://127.0.0.1:${port}`;
  const credentials = { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' };
  const client = new S3Client({ endpoint, region: 'us-east-1', forcePathStyle: true, credentials });
  return {
    client,
    bucket,
    credentials,
    config: {
      BLOB_STORE: 's3',
      BLOB_DIR: '',
      S3_BUCKET: bucket,
      S3_ENDPOINT: endpoint,
      S3_REGION: 'us-east-1',
      S3_FORCE_PATH_STYLE: true,
      S3_KEY_PREFIX: '',
    },
    async stop() {
      client.destroy();
      await server.close();
      await rm(directory, { recursive: true, force: true });
    },
  };
}
