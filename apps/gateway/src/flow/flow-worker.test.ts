import { maxStoredJsonBytes } from '@gantry/contracts';
import { createLogger } from '@gantry/observability';
import type { HandlerContext } from '@gantry/queue-runtime';
import { describe, expect, it } from 'vitest';
import { flowWorker } from './flow-worker.js';

const ctx: HandlerContext = {
  jobId: 'run.store',
  tenant: 'acme',
  attempt: 1,
  signal: new AbortController().signal,
  logger: createLogger('flow-test', 'silent'),
  progress: () => undefined,
  readBlob: () => Promise.reject(new Error('not read')),
  writeBlob: (bytes, { filename }) => Promise.resolve({ blob_id: 'b1', size: bytes.length, filename }),
  useModel: () => undefined,
};

describe('flow.store', () => {
  // The notification machinery is not reached by flow.store.
  const { handlers } = flowWorker({ notify: {} as never });

  it('writes the value as JSON', async () => {
    const stored = await handlers['flow.store']({ data: { a: 1 }, filename: 'a.json' }, ctx, null);
    expect(stored.blob).toEqual({ blob_id: 'b1', size: 7, filename: 'a.json' });
  });

  it('refuses a value over 5 MB as JSON with FLOW_STORE_TOO_LARGE', async () => {
    const data = 'x'.repeat(maxStoredJsonBytes);
    await expect(handlers['flow.store']({ data, filename: 'big.json' }, ctx, null)).rejects.toMatchObject({
      code: 'FLOW_STORE_TOO_LARGE',
      details: { bytes: maxStoredJsonBytes + 2, max_bytes: maxStoredJsonBytes },
    });
  });
});
