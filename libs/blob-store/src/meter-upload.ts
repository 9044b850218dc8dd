import type { Hash } from 'node:crypto';
import { Transform } from 'node:stream';
import { GantryError } from '@gantry/contracts';

export interface UploadMeter {
  /** Counts and hashes the bytes passing through; errors with PAYLOAD_TOO_LARGE past the limit. */
  transform: Transform;
  size(): number;
  /** The first `keepHeadBytes` bytes that passed (fewer for a shorter file). */
  head(): Buffer;
}

/** The streaming half of every store's `put`: the limit is enforced as bytes arrive, never after. */
export function meterUpload(maxBytes: number, hash: Hash, keepHeadBytes = 0): UploadMeter {
  let size = 0;
  const head: Buffer[] = [];
  const transform = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      size += chunk.length;
      if (size > maxBytes) {
        done(
          new GantryError('PAYLOAD_TOO_LARGE', `file is over the ${maxBytes}-byte limit`, {
            details: { limit_bytes: maxBytes },
          }),
        );
        return;
      }
      const kept = size - chunk.length;
      if (kept < keepHeadBytes) head.push(chunk.subarray(0, keepHeadBytes - kept));
      hash.update(chunk);
      done(null, chunk);
    },
  });
  return { transform, size: () => size, head: () => Buffer.concat(head) };
}
