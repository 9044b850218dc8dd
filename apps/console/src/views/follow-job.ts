import type { GantryClient, JobEvent } from '@gantry/client';

/**
 * Calls `onEvent` with each live event of a job until it ends or `signal` aborts. The SDK resumes a
 * dropped stream with Last-Event-ID; an error that ends the stream for good goes to `onError`.
 */
export function followJob(
  client: GantryClient,
  id: string,
  signal: AbortSignal,
  onEvent: (event: JobEvent) => void,
  onError: (error: unknown) => void = () => undefined,
): Promise<void> {
  return (async () => {
    try {
      for await (const event of client.events(id, { signal })) onEvent(event);
    } catch (error) {
      if (!signal.aborted) onError(error);
    }
  })();
}
