import type { ErrorInfo, ModelInfo } from '@gantry/contracts';
import type { EngineDevice } from '../define-worker.js';

/** Parent → engine process. */
export type EngineRequest =
  | {
      kind: 'run';
      jobId: string;
      type: string;
      tenant: string;
      attempt: number;
      input: unknown;
      traceId: string | null;
    }
  | { kind: 'abort'; jobId: string };

/** Engine process → parent. */
export type EngineReply =
  | { kind: 'ready'; models: ModelInfo[]; types: string[]; device: EngineDevice | null }
  | { kind: 'setup-failed'; error: ErrorInfo }
  | { kind: 'progress'; jobId: string; pct: number; message: string | null }
  | { kind: 'result'; jobId: string; output: unknown; model: ModelInfo | null }
  | { kind: 'failed'; jobId: string; error: ErrorInfo };
