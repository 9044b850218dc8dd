import { S3Client } from '@aws-sdk/client-s3';
import type { BlobStore } from './blob-store.js';
import { FileBlobStore } from './file-blob-store.js';
import { S3BlobStore } from './s3-blob-store.js';

/** The blob store settings of the shared environment (`sharedEnv` in `@gantry/config`). */
export interface BlobStoreConfig {
  BLOB_STORE: 'file' | 's3';
  BLOB_DIR: string;
  S3_BUCKET?: string | undefined;
  S3_ENDPOINT?: string | undefined;
  S3_REGION?: string | undefined;
  S3_FORCE_PATH_STYLE: boolean;
  S3_KEY_PREFIX: string;
}

/** The store the environment names; the gateway and every engine process build theirs here. */
export function createBlobStore(config: BlobStoreConfig): BlobStore {
  if (config.BLOB_STORE === 'file') return new FileBlobStore(config.BLOB_DIR);
  if (!config.S3_BUCKET)
    throw new Error('BLOB_STORE=s3 needs S3_BUCKET (and S3_ENDPOINT for a non-AWS service)');
  const client = new S3Client({
    ...(config.S3_ENDPOINT ? { endpoint: config.S3_ENDPOINT } : {}),
    ...(config.S3_REGION ? { region: config.S3_REGION } : {}),
    forcePathStyle: config.S3_FORCE_PATH_STYLE,
  });
  return new S3BlobStore({ client, bucket: config.S3_BUCKET, keyPrefix: config.S3_KEY_PREFIX });
}
