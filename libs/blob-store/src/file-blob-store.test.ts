import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { expect, it } from 'vitest';
import { FileBlobStore } from './file-blob-store.js';
import { describeBlobStoreContract } from './testing/blob-store-contract.js';

// The real filesystem, in a temporary folder per run.
describeBlobStoreContract('FileBlobStore', async () => {
  const root = await mkdtemp(path.join(tmpdir(), 'gantry-blobs-'));
  return { store: new FileBlobStore(root), close: () => rm(root, { recursive: true, force: true }) };
});

it('leaves no partial file behind an over-limit upload', async () => {
  const root = await mkdtemp(path.join(tmpdir(), 'gantry-blobs-'));
  try {
    const store = new FileBlobStore(root);
    const chunks = Array.from({ length: 10 }, () => Buffer.alloc(1_000, 1));
    await expect(store.put('acme', Readable.from(chunks), { maxBytes: 5_000 })).rejects.toMatchObject({
      code: 'PAYLOAD_TOO_LARGE',
    });
    expect(await readdir(path.join(root, 'acme'))).toEqual([]);
  } finally {
    await rm(root, { recursive: true, force: true });
  }
});
