import type { GantryClient } from '@gantry/client';

/** What every view gets: the SDK for the signed-in key, and a signal that aborts when the view is left. */
export interface ViewContext {
  client: GantryClient;
  apiKey: string;
  /** Whether the key has the `platform` scope (it may read `/metrics` and pause queues). */
  platform: boolean;
  signal: AbortSignal;
  /** The rest of the hash route, e.g. the job id of `#/jobs/<id>`. */
  param: string;
  query: URLSearchParams;
}
