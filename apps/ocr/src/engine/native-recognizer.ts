import { type ChildProcessByStdio, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { once } from 'node:events';
import { type FileHandle, open, unlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Readable } from 'node:stream';
import type { GreyImage } from './grey-image.js';
import { nativeCommand } from './native-tesseract.js';
import type { PageReading, PageRecognizer } from './page-recognizer.js';
import { toPgm } from './pgm.js';
import type { Preprocessing } from './preprocessing.js';
import { straightenPage } from './straighten-page.js';
import { parseTesseractTsv } from './tesseract-tsv.js';
import { tesseractParameters } from './tesseract-settings.js';

type Child = ChildProcessByStdio<null, Readable, Readable>;

/**
 * The page as a PGM file the CLI can open by name (`/dev/fd/3`), though it has none: it is unlinked
 * before the CLI starts, so a killed engine leaves nothing in the temporary directory. On stdin the
 * CLI reads the same page some 15 % slower (0.25–0.3 s of CPU on an A4 page at 300 dpi).
 */
async function unlinkedPageFile(image: GreyImage): Promise<FileHandle> {
  const file = path.join(tmpdir(), `gantry-page-${randomUUID()}.pgm`);
  const handle = await open(file, 'wx+', 0o600);
  try {
    await unlink(file);
    await handle.writeFile(toPgm(image));
    return handle;
  } catch (error) {
    await handle.close();
    throw error;
  }
}

/**
 * The native `tesseract` CLI, a process per page (a child of the engine process, killed with it):
 * the prepared page in as an unlinked PGM file, TSV out, parsed into the lines and words the tesseract.js
 * recognizer returns. `--psm 6` is tesseract.js's page segmentation (the library's default, a
 * single block; the CLI's own default is 3), so both engines give the reading-order code the same
 * lines. One OpenMP thread per page: pages run side by side on OCR_PAGE_THREADS of these, one core each.
 */
export class NativeRecognizer implements PageRecognizer {
  readonly #binary: string;
  #child: Child | null = null;
  #terminated = false;

  constructor(binary: string) {
    this.#binary = binary;
  }

  /** A page failing or being canceled leaves nothing behind: only terminate() ends it. */
  get broken(): boolean {
    return this.#terminated;
  }

  /** The running CLI's process id, while it reads a page. */
  get pid(): number | undefined {
    return this.#child?.pid;
  }

  /**
   * Straightens the page in this (the engine) process, then runs the CLI on it. The CLI's own
   * process gives the pages of a document their cores; their preparation shares this one.
   */
  async readPage(
    page: GreyImage,
    languages: readonly string[],
    steps: Preprocessing,
    _onFraction?: (fraction: number) => void,
    signal?: AbortSignal,
  ): Promise<PageReading> {
    if (this.#terminated) throw new Error('recognizer terminated');
    if (this.#child) throw new Error('native recognizer is busy');
    signal?.throwIfAborted();
    const { image, settings, geometry } = await straightenPage(page, steps);
    signal?.throwIfAborted();
    const parameters = Object.entries(tesseractParameters(settings)).flatMap(([key, value]) => [
      '-c',
      `${key}=${value}`,
    ]);
    const [file, args] = nativeCommand(this.#binary, [
      '/dev/fd/3',
      'stdout',
      ...['--oem', '1', '--psm', '6', '-l', languages.join('+'), ...parameters, 'tsv'],
    ]);
    const pageFile = await unlinkedPageFile(image);
    let child: Child;
    try {
      child = spawn(file, args, {
        stdio: ['ignore', 'pipe', 'pipe', pageFile.fd],
        env: { ...process.env, OMP_THREAD_LIMIT: '1' },
      }) as Child;
    } finally {
      // The CLI has its own descriptor of the file once spawned (or none, having failed to start).
      await pageFile.close();
    }
    this.#child = child;
    const kill = (): void => {
      child.kill('SIGKILL');
    };
    signal?.addEventListener('abort', kill, { once: true });
    try {
      const stdout: Buffer[] = [];
      let stderr = '';
      child.stdout.on('data', (chunk: Buffer) => stdout.push(chunk));
      child.stderr.on('data', (chunk: Buffer) => {
        if (stderr.length < 4_000) stderr += chunk.toString('utf8');
      });
      // once() rejects if the process cannot be started ('error' before 'close').
      const [code, killedBy] = (await once(child, 'close')) as [number | null, NodeJS.Signals | null];
      signal?.throwIfAborted();
      if (code !== 0) {
        throw new Error(
          `tesseract failed (${killedBy ?? `exit code ${code}`}): ${stderr.trim().split('\n').at(-1) ?? ''}`,
        );
      }
      return { text: parseTesseractTsv(Buffer.concat(stdout).toString('utf8')), geometry };
    } finally {
      signal?.removeEventListener('abort', kill);
      this.#child = null;
    }
  }

  async terminate(): Promise<void> {
    this.#terminated = true;
    const child = this.#child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const closed = once(child, 'close');
    child.kill('SIGKILL');
    await closed;
  }
}
