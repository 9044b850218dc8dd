import { type ChildProcessByStdio, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { type FileHandle, open, unlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Readable, Writable } from 'node:stream';
import type { GreyImage } from './grey-image.js';
import { nativeCommand } from './native-tesseract.js';
import { toTiff } from './tiff.js';
import { tsvHeader } from './tesseract-tsv.js';

type Child = ChildProcessByStdio<Writable, Readable, Readable>;

/** A 3×3 white page: read in well under a millisecond, its TSV is its page line alone. */
const blankPage: GreyImage = { data: Buffer.alloc(9, 255), width: 3, height: 3 };

/**
 * An image file that only this process's descriptor keeps: unlinked as soon as it is written, so a
 * killed engine leaves nothing in the temporary directory. The CLI opens it as
 * `/proc/<this pid>/fd/<fd>` (same user), which reopens the file while the descriptor is held.
 */
export class UnlinkedPage {
  private constructor(readonly handle: FileHandle) {}

  static async write(image: GreyImage): Promise<UnlinkedPage> {
    const file = path.join(tmpdir(), `gantry-page-${randomUUID()}.tif`);
    const handle = await open(file, 'wx+', 0o600);
    try {
      await unlink(file);
      await handle.writeFile(toTiff(image));
      return new UnlinkedPage(handle);
    } catch (error) {
      await handle.close();
      throw error;
    }
  }

  get path(): string {
    return `/proc/${process.pid}/fd/${this.handle.fd}`;
  }

  close(): Promise<void> {
    return this.handle.close();
  }
}

interface PendingPage {
  /** TSV page number of the blank page read after this one: its line ends this page's rows. */
  endMarker: string;
  rows: string[];
  resolve: (rows: string[]) => void;
  reject: (error: Error) => void;
}

/**
 * One long-lived native `tesseract` that reads page after page: `stream_filelist` takes file names on
 * stdin, one a line, and writes each page's TSV to stdout as soon as it is read. The model loads once
 * instead of once a page (measured: 0.09 s of a 0.3 s invoice page, 0.16 s of an A4 page), with the
 * same output, byte for byte, as a process per page. TSV does not mark a page's end, so each page is
 * followed by a blank one: tesseract writes the blank's page line only once the page before it is out.
 * Parameters (`-c`) and languages are fixed for the process's life: `args` holds them.
 */
export class TesseractStream {
  readonly #child: Child;
  readonly #blank: UnlinkedPage;
  #pages = 0;
  #pending: PendingPage | null = null;
  #partial = '';
  #headerSeen = false;
  #stderr = '';
  #exited = false;
  /** Why the CLI ended, for a page asked of it afterwards: it may end before its first page arrives. */
  #ending: Error | null = null;

  private constructor(
    readonly args: readonly string[],
    child: Child,
    blank: UnlinkedPage,
  ) {
    this.#child = child;
    this.#blank = blank;
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (chunk: string) => this.#take(chunk));
    child.stderr.setEncoding('utf8');
    // The last few KB: tesseract notes every page it starts there; an error is what it said last.
    child.stderr.on('data', (chunk: string) => (this.#stderr = (this.#stderr + chunk).slice(-4_000)));
    // A write to a CLI that just died: its 'close' below fails the page.
    child.stdin.on('error', () => undefined);
    child.on('error', (error) => {
      this.#exited = true;
      this.#ending = error;
      this.#fail(error);
    });
    child.on('close', (code, signal) => {
      this.#exited = true;
      void this.#blank.close();
      const said = this.#stderr.trim().split('\n').at(-1) ?? '';
      this.#ending ??= new Error(`tesseract ended (${signal ?? `exit code ${code}`}): ${said}`);
      this.#fail(this.#ending);
    });
  }

  /** Starts the CLI, a child of this process that the kernel kills with it (nativeCommand). */
  static async start(binary: string, args: readonly string[]): Promise<TesseractStream> {
    const blank = await UnlinkedPage.write(blankPage);
    const [file, argv] = nativeCommand(binary, [
      'stdin',
      'stdout',
      '-c',
      'stream_filelist=true',
      // The variable the `tsv` config file sets: a language directory without tesseract's configs/
      // (tessdata_fast and tessdata_best ship none) has no such file, and the CLI would write plain text.
      '-c',
      'tessedit_create_tsv=1',
      ...args,
    ]);
    try {
      const child = spawn(file, argv, {
        stdio: ['pipe', 'pipe', 'pipe'],
        // One OpenMP thread: pages run side by side on OCR_PAGE_THREADS of these, one core each.
        env: { ...process.env, OMP_THREAD_LIMIT: '1' },
      });
      return new TesseractStream(args, child, blank);
    } catch (error) {
      await blank.close();
      throw error;
    }
  }

  get pid(): number | undefined {
    return this.#child.pid;
  }

  /** Gone, or on its way out: the next page needs a new one. */
  get ended(): boolean {
    return this.#exited || this.#child.killed;
  }

  /** The TSV rows of one page, header excluded. One page at a time. */
  read(file: string): Promise<string[]> {
    // A CLI that could not load its languages ends at once, maybe while the page was being written:
    // the page gets what it said (the recognizer makes that MODEL_UNAVAILABLE), not a bare "ended".
    if (this.ended) return Promise.reject(this.#ending ?? new Error('tesseract has ended'));
    if (this.#pending) return Promise.reject(new Error('tesseract is reading a page'));
    this.#pages += 2;
    return new Promise((resolve, reject) => {
      this.#pending = { endMarker: `1\t${this.#pages}\t`, rows: [], resolve, reject };
      this.#child.stdin.write(`${file}\n${this.#blank.path}\n`);
    });
  }

  /** SIGKILLs the CLI (a page being read is lost) and waits until it is gone. */
  async kill(): Promise<void> {
    if (this.#exited) return;
    const closed = new Promise((resolve) => this.#child.once('close', resolve));
    this.#child.kill('SIGKILL');
    await closed;
  }

  #take(chunk: string): void {
    const lines = (this.#partial + chunk).split('\n');
    this.#partial = lines.pop() ?? '';
    for (const line of lines) {
      if (!this.#headerSeen) {
        this.#headerSeen = true;
        if (line !== tsvHeader) {
          this.#fail(new Error(`unexpected tesseract TSV header: ${line}`));
          this.#child.kill('SIGKILL');
          return;
        }
        continue;
      }
      const page = this.#pending;
      if (!page) continue;
      if (line.startsWith(page.endMarker)) {
        this.#pending = null;
        page.resolve(page.rows);
      } else page.rows.push(line);
    }
  }

  #fail(error: Error): void {
    const page = this.#pending;
    this.#pending = null;
    page?.reject(error);
  }
}
