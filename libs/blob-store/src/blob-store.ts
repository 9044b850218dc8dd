import type { Readable } from 'node:stream';

/** What the store knows about a blob; the job input carries it as a `BlobRef`. */
export interface StoredBlob {
  blob_id: string;
  tenant: string;
  /** Sniffed from the bytes; the declared type is only kept as a hint. */
  media_type: string;
  declared_type: string | null;
  size: number;
  sha256: string;
  filename: string | null;
  created_at: string;
}

export interface PutBlobOptions {
  filename?: string | null;
  declaredType?: string | null;
  /**
   * The type as a trusted writer knows it (a worker storing its own output), kept instead of the sniffed
   * one: sniffing tells JSON only as text. Never set from what a client declares.
   */
  mediaType?: string;
  /** Larger uploads fail with PAYLOAD_TOO_LARGE as soon as they cross the limit; nothing is kept. */
  maxBytes: number;
}

/** One blob found by a listing: enough to decide whether it may go, without reading its metadata. */
export interface ListedBlob {
  tenant: string;
  blob_id: string;
  /** When its bytes were written. */
  written_at: Date;
}

/**
 * Where uploaded bytes live. The filesystem store is the embedded default; the S3-compatible
 * store implements the same interface (`createBlobStore` picks one from the environment).
 * A blob belongs to one tenant: another tenant gets null.
 */
export interface BlobStore {
  put(tenant: string, source: Readable, options: PutBlobOptions): Promise<StoredBlob>;
  stat(tenant: string, blobId: string): Promise<StoredBlob | null>;
  read(tenant: string, blobId: string): Promise<Buffer>;
  delete(tenant: string, blobId: string): Promise<void>;
  /**
   * Every blob of every tenant written before `before`, in no particular order, including the
   * bytes of an upload that crashed before its metadata was written (so they can be swept too).
   */
  listWrittenBefore(before: Date): AsyncIterable<ListedBlob>;
}
