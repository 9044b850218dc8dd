import { fileTypeFromBuffer } from 'file-type';

/** Bytes file-type needs to recognise every format it knows. */
export const sniffBytes = 4_100;

/**
 * The real media type from the first bytes. Formats without magic numbers fall back to
 * text/plain when the head is valid UTF-8 without control characters, else octet-stream.
 */
export async function sniffMediaType(head: Uint8Array): Promise<string> {
  const detected = await fileTypeFromBuffer(head);
  if (detected) return detected.mime;
  if (head.length === 0) return 'application/x-empty';
  return looksLikeText(head) ? 'text/plain' : 'application/octet-stream';
}

function looksLikeText(head: Uint8Array): boolean {
  try {
    const text = new TextDecoder('utf-8', { fatal: true }).decode(
      head.subarray(0, Math.min(head.length, 1_024)),
    );
    return !/[\u0000-\u0008\u000e-\u001f]/.test(text);
  } catch {
    // A multi-byte character cut at the end of the sample is still text.
    return head.length >= 1_024;
  }
}
