import type { ErrorInfo } from '@gantry/contracts';
import type { PageGeometry } from './page-geometry.js';
import type { Preprocessing } from './preprocessing.js';
import type { RecognizedText } from './recognized-text.js';

/** Parent → recognizer process. One page at a time: the pool never sends a second before the reply. */
export interface RecognizeRequest {
  kind: 'recognize';
  id: number;
  width: number;
  height: number;
  /** One-byte grey pixels, row by row, of the page as given: the recognizer process straightens it. */
  data: Uint8Array;
  languages: string[];
  steps: Preprocessing;
}

/** Recognizer process → parent. */
export type RecognizerReply =
  | { kind: 'ready' }
  | { kind: 'start-failed'; error: ErrorInfo }
  | { kind: 'progress'; id: number; fraction: number }
  | { kind: 'result'; id: number; text: RecognizedText; geometry: PageGeometry }
  /** `error` is set where the failure was a GantryError (a language file that would not load). */
  | { kind: 'failed'; id: number; message: string; error?: ErrorInfo };
