/** Random access to stored bytes, so a sniffer can read where a format keeps its proof. */
export interface ByteSource {
  readonly size: number;
  /** Up to `length` bytes from `position` (fewer at the end). */
  read(position: number, length: number): Promise<Uint8Array>;
}

/** Sniffers read mostly near the start: that much of an upload is kept from the stream for them. */
export const sniffHeadBytes = 64 * 1_024;

/**
 * Stored bytes for the sniffer: the head kept from the upload's stream from memory, anything past
 * it from the store (`readPast`, bytes `position` to `end`), which only a few formats ever ask for.
 */
export function headFirstByteSource(
  head: Buffer,
  size: number,
  readPast: (position: number, end: number) => Promise<Uint8Array>,
): ByteSource {
  return {
    size,
    read(position, length) {
      const end = Math.min(position + length, size);
      return end <= head.length ? Promise.resolve(head.subarray(position, end)) : readPast(position, end);
    },
  };
}
