import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { createOcrEngine } from '@gantry/ocr-worker/engine';
import { characterErrorRate } from '@gantry/ocr-worker/testing';
import { pageConditions } from './page-conditions.js';

/**
 * CER per condition of `ocr.extract`'s engine (in process, one recognizer) and of the native
 * `tesseract` CLI on the same page files, made from the shared OCR fixtures (see README). Micro
 * CER: all edits of a condition over all its characters, whitespace runs collapsed.
 */
const run = promisify(execFile);
const fixtures = path.resolve(import.meta.dirname, '../../../../shared/fixtures/ocr');
const fixture = (name: string) => readFile(path.join(fixtures, name));
const normalisedLength = (text: string) => text.replace(/\s+/g, ' ').trim().length;

interface Page {
  condition: string;
  file: string;
  bytes: Buffer;
  truth: string;
}

async function pages(): Promise<Page[]> {
  const invoice = (await fixture('invoice.gt.txt')).toString('utf8');
  const a4 = (await fixture('page-a4.gt.txt')).toString('utf8');
  const built: Page[] = [];
  for (const [file, truth] of [
    ['invoice-clean.png', invoice],
    ['page-a4.png', a4],
  ] as const) {
    for (const { name, bytes } of await pageConditions(await fixture(file))) {
      built.push({ condition: name, file, bytes, truth });
    }
  }
  // As the fixtures were made: rotated 1.2° with noise and JPEG, 8 pt at 150 dpi, a shaded photo.
  for (const file of ['invoice-noisy.jpg', 'hard-small.png', 'hard-photo.jpg']) {
    built.push({ condition: 'as shot', file, bytes: await fixture(file), truth: invoice });
  }
  return built;
}

async function nativeVersion(): Promise<string | null> {
  try {
    const { stdout } = await run('tesseract', ['--version']);
    return stdout.split('\n')[0] ?? 'tesseract';
  } catch {
    return null;
  }
}

interface Tally {
  edits: number;
  chars: number;
  seconds: number;
  pages: number;
}

const add = (tallies: Map<string, Tally>, key: string, cer: number, chars: number, seconds: number) => {
  const tally = tallies.get(key) ?? { edits: 0, chars: 0, seconds: 0, pages: 0 };
  tally.edits += cer * chars;
  tally.chars += chars;
  tally.seconds += seconds;
  tally.pages += 1;
  tallies.set(key, tally);
};

const percent = (tally: Tally | undefined) =>
  tally ? `${((100 * tally.edits) / tally.chars).toFixed(1)} %` : 'n/a';
const perPage = (tally: Tally | undefined) =>
  tally ? `${(tally.seconds / tally.pages).toFixed(2)} s` : 'n/a';

const version = await nativeVersion();
const all = await pages();
const engine = await createOcrEngine({ poolSize: 1 });
const dir = await mkdtemp(path.join(tmpdir(), 'gantry-ocr-eval-'));
const gantry = new Map<string, Tally>();
const native = new Map<string, Tally>();
try {
  for (const [i, page] of all.entries()) {
    const chars = normalisedLength(page.truth);
    let started = performance.now();
    const result = await engine.extract(page.bytes);
    const ours = characterErrorRate(result.text, page.truth);
    add(gantry, page.condition, ours, chars, (performance.now() - started) / 1000);
    add(gantry, 'all', ours, chars, (performance.now() - started) / 1000);
    let theirs: number | null = null;
    if (version) {
      const file = path.join(dir, `page-${i}${page.bytes[0] === 0xff ? '.jpg' : '.png'}`);
      await writeFile(file, page.bytes);
      started = performance.now();
      // One process per page, as the CLI is normally used; one OpenMP thread, like one recognizer.
      const { stdout } = await run('tesseract', [file, 'stdout', '--oem', '1', '-l', 'eng'], {
        env: { ...process.env, OMP_THREAD_LIMIT: '1' },
        maxBuffer: 16 * 1_048_576,
      });
      theirs = characterErrorRate(stdout, page.truth);
      add(native, page.condition, theirs, chars, (performance.now() - started) / 1000);
      add(native, 'all', theirs, chars, (performance.now() - started) / 1000);
    }
    const rotation = result.pages[0]?.rotation ?? 0;
    console.error(
      `${page.condition} ${page.file}: ours ${(100 * ours).toFixed(1)} % (rotation ${rotation}), native ${
        theirs === null ? 'n/a' : `${(100 * theirs).toFixed(1)} %`
      }`,
    );
  }
} finally {
  await engine.close();
  await rm(dir, { recursive: true, force: true });
}

console.log(`native: ${version ?? 'not installed (apt-get install tesseract-ocr)'}\n`);
console.log(
  '| condition | pages | characters | ocr.extract CER | native CLI CER | ocr.extract s/page | native s/page |',
);
console.log('| --- | --- | --- | --- | --- | --- | --- |');
for (const key of [...new Set(all.map((page) => page.condition)), 'all']) {
  const ours = gantry.get(key);
  const theirs = native.get(key);
  console.log(
    `| ${key} | ${ours?.pages ?? 0} | ${ours?.chars ?? 0} | ${percent(ours)} | ${percent(theirs)} | ${perPage(ours)} | ${perPage(theirs)} |`,
  );
}
