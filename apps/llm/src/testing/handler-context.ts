import type { ModelInfo } from '@gantry/contracts';
import type { HandlerContext } from '@gantry/queue-runtime';

/**
 * What the worker runtime hands a handler, built by hand for a handler test: progress and the model
 * used are recorded; the logger and blobs are not there (the handlers under test use neither).
 */
export function recordingContext() {
  const progress: { pct: number; message: string | undefined }[] = [];
  const models: ModelInfo[] = [];
  const missing = () => Promise.reject(new Error('no blob store in a handler test'));
  const ctx: HandlerContext = {
    jobId: 'job-1',
    tenant: 'acme',
    attempt: 1,
    signal: new AbortController().signal,
    logger: undefined as unknown as HandlerContext['logger'],
    progress: (pct, message) => progress.push({ pct, message }),
    readBlob: missing,
    writeBlob: missing,
    useModel: (model) => models.push(model),
  };
  return { ctx, progress, models };
}
