/**
 * Entry point of a recognizer process: one warm tesseract.js recognizer, pages in and lines out
 * over IPC. A process, not a thread, so the pages of one document run on several cores at once and
 * a cancel or a timeout stops a page by killing its process (a wasm call cannot be interrupted).
 */
import type { Recognizer } from './recognizer.js';
import type { RecognizerReply, RecognizeRequest } from './recognizer-messages.js';

const [langDir, warm] = process.argv.slice(2);
const send = (reply: RecognizerReply): void => {
  process.send?.(reply);
};

// The engine process going away (job canceled or timed out: SIGKILL) closes the IPC channel; the
// page being read here is no longer wanted. Recognition runs in tesseract.js's own thread, so this
// event loop is free to notice at once. The handler is in place before tesseract.js loads (a
// dynamic import, which lets the event loop turn), and a channel closed before that is checked after.
process.on('disconnect', () => process.exit(0));

let recognizer: Recognizer;
try {
  if (!langDir || !warm) throw new Error('recognizer-host needs a language directory and languages');
  const { Recognizer } = await import('./recognizer.js');
  recognizer = await Recognizer.start(warm.split('+'), langDir);
  if (!process.connected) process.exit(0);
} catch (error) {
  send({ kind: 'start-failed', message: error instanceof Error ? error.message : String(error) });
  process.exit(1);
}

process.on('message', (request: RecognizeRequest) => {
  const image = { width: request.width, height: request.height, data: Buffer.from(request.data) };
  recognizer
    .recognize(image, request.languages, request.settings, (fraction) =>
      send({ kind: 'progress', id: request.id, fraction }),
    )
    .then(
      (text) => send({ kind: 'result', id: request.id, text }),
      (error: unknown) => {
        send({
          kind: 'failed',
          id: request.id,
          message: error instanceof Error ? error.message : String(error),
        });
        // A broken recognizer is of no further use: the parent starts another.
        process.exit(1);
      },
    );
});
send({ kind: 'ready' });
