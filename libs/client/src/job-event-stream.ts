import { createParser, type EventSourceMessage } from 'eventsource-parser';
import { ConnectionError, GantryApiError } from './gantry-errors.js';
import type { HttpTransport } from './http-transport.js';
import type { AnyJobType, JobEvent } from './job-types.js';

export interface EventsOptions {
  signal?: AbortSignal;
  /** Resume after this event id (one this stream yielded earlier). */
  lastEventId?: string;
  /** Reconnections in a row without an event before giving up (default 5). */
  maxReconnects?: number;
}

const reconnectDelayMs = (attempt: number) => Math.min(5_000, 250 * 2 ** attempt);

/**
 * A job's Server-Sent Events as an async iterator that ends after `completed`. A connection that drops
 * is opened again with `Last-Event-ID`, so no event is lost or repeated.
 */
export async function* jobEventStream<T extends string = AnyJobType>(
  transport: HttpTransport,
  id: string,
  options: EventsOptions = {},
): AsyncGenerator<JobEvent<T>, void, undefined> {
  let lastEventId = options.lastEventId;
  let failures = 0;
  for (;;) {
    const queue: EventSourceMessage[] = [];
    const parser = createParser({ onEvent: (message) => queue.push(message) });
    let reader: ReadableStreamDefaultReader<Uint8Array> | undefined;
    try {
      const response = await transport.send({
        method: 'GET',
        path: `/v1/jobs/${encodeURIComponent(id)}/events`,
        headers: { accept: 'text/event-stream', ...(lastEventId ? { 'last-event-id': lastEventId } : {}) },
        signal: options.signal,
        retry: true,
      });
      if (!response.body) throw new ConnectionError('the event stream has no body');
      const decoder = new TextDecoder();
      // A reader rather than `for await` over the body: not every browser iterates a ReadableStream.
      reader = response.body.getReader();
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        parser.feed(decoder.decode(value, { stream: true }));
        for (const message of queue.splice(0)) {
          failures = 0;
          if (message.id) lastEventId = message.id;
          const event = {
            id: message.id ?? '',
            event: message.event,
            data: JSON.parse(message.data) as unknown,
          } as JobEvent<T>;
          yield event;
          if (event.event === 'completed') return;
        }
      }
    } catch (error) {
      // An API answer (404, 403…), the caller's abort or a malformed event ends it; a broken connection does not.
      if (error instanceof GantryApiError || error instanceof SyntaxError || options.signal?.aborted)
        throw error;
    } finally {
      // Closes the connection when the caller stops early (a `break` out of its loop).
      await reader?.cancel().catch(() => undefined);
    }
    // The connection dropped, or ended before `completed`: resume after the last event seen.
    failures += 1;
    if (failures > (options.maxReconnects ?? 5)) {
      throw new ConnectionError(`the event stream of job ${id} kept dropping`);
    }
    await new Promise((resolve) => setTimeout(resolve, reconnectDelayMs(failures - 1)));
  }
}
