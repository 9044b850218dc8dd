import type { HandlerContext } from '@gantry/queue-runtime';

/**
 * At most this often does the growing text cross to the parent; the runtime writes ~10 a second of
 * them, so twice that rate keeps a write ready whenever its window opens.
 */
const intervalMs = 50;

/**
 * Streams generated text into job progress, so SSE shows it growing: the message is the text so far,
 * the percentage the share of the token budget used (capped below 100 until the job ends).
 */
export function streamToProgress(ctx: HandlerContext, maxTokens: number): (text: string) => void {
  let soFar = '';
  let pieces = 0;
  let last = 0;
  return (text) => {
    soFar += text;
    pieces += 1;
    const now = Date.now();
    if (now - last < intervalMs) return;
    last = now;
    ctx.progress(Math.min(99, Math.floor((pieces / maxTokens) * 100)), soFar);
  };
}
