export interface ServerSentEvent {
  id: string;
  event: string;
  data: unknown;
}

/**
 * Reads a `text/event-stream` body as it arrives until the server ends it (the job events stream
 * ends after `completed`) or `timeoutMs` passes; `onEvent` sees each event the moment it is parsed.
 */
export async function readJobEvents(
  res: Response,
  options: { timeoutMs?: number; onEvent?: (event: ServerSentEvent) => void } = {},
): Promise<ServerSentEvent[]> {
  if (!res.body) throw new Error('the events response has no body');
  const reader = res.body.getReader();
  const timer = setTimeout(() => void reader.cancel(), options.timeoutMs ?? 15_000);
  const decoder = new TextDecoder();
  const events: ServerSentEvent[] = [];
  let buffer = '';
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      buffer += decoder.decode(value, { stream: true });
      let end = buffer.indexOf('\n\n');
      while (end >= 0) {
        const block = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        end = buffer.indexOf('\n\n');
        const fields = new Map<string, string>();
        for (const line of block.split('\n')) {
          if (line.startsWith(':')) continue;
          const colon = line.indexOf(':');
          if (colon > 0) fields.set(line.slice(0, colon), line.slice(colon + 1).trimStart());
        }
        if (!fields.has('event')) continue;
        const event = {
          id: fields.get('id') ?? '',
          event: fields.get('event') ?? '',
          data: JSON.parse(fields.get('data') ?? 'null') as unknown,
        };
        events.push(event);
        options.onEvent?.(event);
      }
    }
  } finally {
    clearTimeout(timer);
  }
  return events;
}
