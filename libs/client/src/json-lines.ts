/**
 * The JSON values of a JSONL body, one a line, as they arrive: the body is never held whole. A reader
 * rather than `for await` over the body, since not every browser iterates a ReadableStream.
 */
export async function* jsonLines<T>(body: ReadableStream<Uint8Array>): AsyncGenerator<T, void, undefined> {
  const reader = body.getReader();
  const decoder = new TextDecoder();
  let pending = '';
  try {
    for (;;) {
      const { done, value } = await reader.read();
      pending += done ? decoder.decode() : decoder.decode(value, { stream: true });
      const lines = pending.split('\n');
      pending = done ? '' : (lines.pop() ?? '');
      for (const line of lines) if (line.trim() !== '') yield JSON.parse(line) as T;
      if (done) return;
    }
  } finally {
    // Closes the connection when the caller stops early (a `break` out of its loop).
    await reader.cancel().catch(() => undefined);
  }
}
