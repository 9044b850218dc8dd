import type { RecognizedText } from './recognized-text.js';
import type { TesseractSettings } from './tesseract-settings.js';

/** Parent → recognizer process. One page at a time: the pool never sends a second before the reply. */
export interface RecognizeRequest {
  kind: 'recognize';
  id: number;
  width: number;
  height: number;
  /** One-byte grey pixels, row by row. */
  data: Uint8Array;
  languages: string[];
  settings: TesseractSettings;
}

/** Recognizer process → parent. */
export type RecognizerReply =
  | { kind: 'ready' }
  | { kind: 'start-failed'; message: string }
  | { kind: 'progress'; id: number; fraction: number }
  | { kind: 'result'; id: number; text: RecognizedText }
  | { kind: 'failed'; id: number; message: string };
