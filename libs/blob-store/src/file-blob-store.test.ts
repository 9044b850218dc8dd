import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PassThrough, Readable } from 'node:stream';
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

it('writes an upload under its own name and its metadata last: bytes in flight are swept, never read', async () => {
  const root = await mkdtemp(path.join(tmpdir(), 'gantry-blobs-'));
  try {
    const store = new FileBlobStore(root);
    const source = new PassThrough();
    const stored = store.put('acme', source, { maxBytes: 10_000 });
    source.write(Buffer.from('%PDF-1.7 half of it'));
    // What a crash now would leave: bytes without metadata, which the sweep lists and no reader sees.
    await expect.poll(() => readdir(path.join(root, 'acme')).catch(() => [])).toHaveLength(1);
    const [name = ''] = await readdir(path.join(root, 'acme'));
    expect(await store.stat('acme', name)).toBeNull();
    await expect(store.read('acme', name)).rejects.toMatchObject({ code: 'BLOB_NOT_FOUND' });
    const listed = [];
    for await (const old of store.listWrittenBefore(new Date(Date.now() + 60_000))) listed.push(old);
    expect(listed).toEqual([{ tenant: 'acme', blob_id: name, written_at: expect.any(Date) }]);
    source.end(Buffer.from(' and the rest'));
    const blob = await stored;
    expect(blob).toMatchObject({ blob_id: name, media_type: 'application/pdf', size: 32 });
    expect((await readdir(path.join(root, 'acme'))).sort()).toEqual([name, `${name}.json`]);
  } finally {
    await rm(root, { recursive: true, force: true });
  }
});
