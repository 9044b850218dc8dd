/**
 * Entry point of a recognizer process: one warm tesseract.js recognizer, grey pages in, straightened
 * here (straightenPage), lines and geometry out over IPC. A process, not a thread, so the pages of
 * one document are prepared and read on several cores at once (the engine process's main thread
 * only decodes or renders them), and a cancel or a timeout stops a page by killing its process (a
 * wasm call cannot be interrupted).
 */
import { GantryError } from '@gantry/contracts';
import { leaveWithParent } from './leave-with-parent.js';
import { Recognizer } from './recognizer.js';
import type { RecognizerReply, RecognizeRequest } from './recognizer-messages.js';
import { straightenPage } from './straighten-page.js';

const [langDir, format, warm, parent] = process.argv.slice(2);
const send = (reply: RecognizerReply): void => {
  process.send?.(reply);
};

// The engine process going away (job canceled or timed out: SIGKILL) means the page being read
// here is no longer wanted. Checked against the pid the parent gave, so a parent that died while
// the modules above loaded counts too.
leaveWithParent(Number(parent));

let recognizer: Recognizer;
try {
  if (!langDir || !warm) throw new Error('recognizer-host needs a language directory and languages');
  recognizer = await Recognizer.start(warm.split('+'), { dir: langDir, gzip: format === 'gzip' });
} catch (error) {
  send({ kind: 'start-failed', error: GantryError.from(error, 'MODEL_UNAVAILABLE').toInfo() });
  process.exit(1);
}

process.on('message', (request: RecognizeRequest) => {
  const page = { width: request.width, height: request.height, data: Buffer.from(request.data) };
  straightenPage(page, request.steps)
    .then(async ({ image, settings, geometry }) => {
      const text = await recognizer.recognize(image, request.languages, settings, (fraction) =>
        send({ kind: 'progress', id: request.id, fraction }),
      );
      return { text, geometry };
    })
    .then(
      ({ text, geometry }) => send({ kind: 'result', id: request.id, text, geometry }),
      (error: unknown) => {
        send({
          kind: 'failed',
          id: request.id,
          message: error instanceof Error ? error.message : String(error),
          ...(error instanceof GantryError ? { error: error.toInfo() } : {}),
        });
        // A recognizer that failed a page is of no further use: the parent starts another.
        process.exit(1);
      },
    );
});
send({ kind: 'ready' });
