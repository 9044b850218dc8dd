import { StringDecoder } from 'node:string_decoder';
import { GantryError } from '@gantry/contracts';

/**
 * The values of a JSONL stream, one a line (blank lines skipped; a leading byte order mark ignored, as a JSON
 * body's is), read as they arrive: the stream is
 * pulled a chunk at a time, so a 100,000-line upload is never in memory whole.
 */
export async function* jsonLines(
  stream: AsyncIterable<Buffer | string>,
  maxLineBytes: number,
): AsyncGenerator<unknown> {
  const decoder = new StringDecoder('utf8');
  let pending = '';
  let line = 0;
  const parse = (text: string): unknown => {
    line += 1;
    try {
      return JSON.parse(text) as unknown;
    } catch {
      throw new GantryError('BAD_REQUEST', `line ${line} is not JSON`, { details: { line } });
    }
  };
  let atStart = true;
  for await (const chunk of stream) {
    pending += typeof chunk === 'string' ? chunk : decoder.write(chunk);
    // A byte order mark (Windows tools write one) is no part of the first line: dropped, as a JSON body's is.
    if (atStart && pending.length > 0) {
      atStart = false;
      if (pending.startsWith('\uFEFF')) pending = pending.slice(1);
    }
    let start = 0;
    for (let end = pending.indexOf('\n'); end >= 0; end = pending.indexOf('\n', start)) {
      const text = pending.slice(start, end);
      start = end + 1;
      if (text.trim() !== '') yield parse(text);
      else line += 1;
    }
    pending = pending.slice(start);
    if (pending.length > maxLineBytes) {
      throw new GantryError('PAYLOAD_TOO_LARGE', `line ${line + 1} is longer than ${maxLineBytes} bytes`, {
        details: { line: line + 1, limit_bytes: maxLineBytes },
      });
    }
  }
  pending += decoder.end();
  if (pending.trim() !== '') yield parse(pending);
}
