import { type ChildProcess, fork } from 'node:child_process';
import { once } from 'node:events';
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { GantryError } from '@gantry/contracts';
import type { LanguageSource } from '@gantry/tesseract-languages';
import type { GreyImage } from './grey-image.js';
import type { PageReading, PageRecognizer } from './page-recognizer.js';
import type { Preprocessing } from './preprocessing.js';
import type { RecognizerReply, RecognizeRequest } from './recognizer-messages.js';

const hostPath = fileURLToPath(
  new URL(`./recognizer-host${import.meta.url.endsWith('.ts') ? '.ts' : '.js'}`, import.meta.url),
);
/**
 * Running from TypeScript sources (tests): the child needs the same loader and conditions, the
 * loader found from here, whatever the working directory.
 */
const sourceExecArgv = (): string[] =>
  hostPath.endsWith('.ts')
    ? [
        '--conditions=@gantry/source',
        '--import',
        pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href,
      ]
    : [];

interface Pending {
  id: number;
  resolve: (reading: PageReading) => void;
  reject: (reason: unknown) => void;
  onFraction: ((fraction: number) => void) | undefined;
}

/**
 * One recognizer in a child process of the engine process (recognizer-host.ts), one page at a time.
 * It leaves with its parent (leave-with-parent.ts), and a page it reads for a job that is canceled is
 * stopped by killing it: the pool then starts another.
 */
export class RecognizerProcess implements PageRecognizer {
  readonly #child: ChildProcess;
  #pending: Pending | null = null;
  #broken: Error | null = null;
  #nextId = 1;

  private constructor(child: ChildProcess) {
    this.#child = child;
    child.on('message', (reply: RecognizerReply) => this.#onReply(reply));
    child.once('exit', (code, signal) => {
      this.#broken ??= new Error(`recognizer process exited (${signal ?? code})`);
      this.#pending?.reject(this.#broken);
      this.#pending = null;
    });
  }

  static async start(languages: readonly string[], source: LanguageSource): Promise<RecognizerProcess> {
    const format = source.gzip ? 'gzip' : 'plain';
    const child = fork(hostPath, [source.dir, format, languages.join('+'), String(process.pid)], {
      execArgv: [...process.execArgv.filter((arg) => !arg.startsWith('--inspect')), ...sourceExecArgv()],
      serialization: 'advanced',
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    const ready = new Promise<void>((resolve, reject) => {
      child.on('message', (reply: RecognizerReply) => {
        if (reply.kind === 'ready') resolve();
        else if (reply.kind === 'start-failed') reject(GantryError.fromInfo(reply.error));
      });
      child.once('exit', (code, signal) =>
        reject(
          new GantryError('MODEL_UNAVAILABLE', `recognizer process exited at start (${signal ?? code})`),
        ),
      );
      child.once('error', (error) =>
        reject(new GantryError('MODEL_UNAVAILABLE', `recognizer process failed to start: ${error.message}`)),
      );
    });
    await ready;
    return new RecognizerProcess(child);
  }

  /** The child's process id, while it runs. */
  get pid(): number | undefined {
    return this.#child.pid;
  }

  /** Set once the process died, failed a page or was killed: the pool replaces it. */
  get broken(): boolean {
    return this.#broken !== null;
  }

  /** Straightens and reads a page; an abort kills the process at once (the page is lost, the pool starts another). */
  readPage(
    page: GreyImage,
    languages: readonly string[],
    steps: Preprocessing,
    onFraction?: (fraction: number) => void,
    signal?: AbortSignal,
  ): Promise<PageReading> {
    if (this.#broken) return Promise.reject(this.#broken);
    if (this.#pending) return Promise.reject(new Error('recognizer process is busy'));
    signal?.throwIfAborted();
    const id = this.#nextId++;
    const onAbort = (): void => {
      this.#broken = new Error('recognizer process killed: the page is no longer wanted');
      this.#child.kill('SIGKILL');
    };
    return new Promise<PageReading>((resolve, reject) => {
      signal?.addEventListener('abort', onAbort, { once: true });
      const settle = () => signal?.removeEventListener('abort', onAbort);
      this.#pending = {
        id,
        onFraction,
        resolve: (reading) => {
          settle();
          resolve(reading);
        },
        reject: (reason) => {
          settle();
          reject(signal?.aborted ? (signal.reason as unknown) : reason);
        },
      };
      const request: RecognizeRequest = {
        kind: 'recognize',
        id,
        width: page.width,
        height: page.height,
        data: page.data,
        languages: [...languages],
        steps,
      };
      this.#child.send(request);
    });
  }

  /** SIGKILL, and wait until the process is gone. */
  async terminate(): Promise<void> {
    this.#broken ??= new Error('recognizer terminated');
    if (this.#child.exitCode !== null || this.#child.signalCode !== null) return;
    const exit = once(this.#child, 'exit');
    this.#child.kill('SIGKILL');
    await exit;
  }

  #onReply(reply: RecognizerReply): void {
    const pending = this.#pending;
    if (!pending || !('id' in reply) || reply.id !== pending.id) return;
    if (reply.kind === 'progress') {
      pending.onFraction?.(reply.fraction);
      return;
    }
    this.#pending = null;
    if (reply.kind === 'result') {
      pending.resolve({ text: reply.text, geometry: reply.geometry });
    } else {
      this.#broken = reply.error
        ? GantryError.fromInfo(reply.error)
        : new Error(`page failed: ${reply.message}`);
      pending.reject(this.#broken);
    }
  }
}
