// Model test: the real engine in a child process, SIGKILLed while its recognizer processes (tesseract.js
// hosts, or native CLIs) read a document, as the queue runtime kills an engine process to cancel a
// job. They must not outlive it.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isRunning } from '../testing/child-processes.js';
import { engineTitle, ocrEngineKinds } from '../testing/ocr-engine-kinds.js';
import { readOcrFixture } from '../testing/ocr-fixtures.js';

const testing = path.resolve(import.meta.dirname, '../testing');
let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'gantry-ocr-killed-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

describe.each(ocrEngineKinds.map((kind) => ({ ...kind, title: engineTitle(kind) })))(
  '$title',
  ({ kind, skip }) => {
    describe.skipIf(skip !== null)('an engine process killed mid-document', () => {
      it('takes its recognizer processes with it within 2 s', async () => {
        // Native: pages of three A4 sheets each, so a CLI that outlived the kill would still be
        // recognising when the test looks (see extract-until-killed.ts). tesseract.js: A4 pages.
        const a4 = readOcrFixture('page-a4.png');
        const tall =
          kind === 'native'
            ? await sharp([a4, a4, a4], { join: { across: 1 } })
                .toColourspace('b-w')
                .png()
                .toBuffer()
            : a4;
        const document = path.join(dir, 'two-pages.tiff');
        await writeFile(
          document,
          await sharp([tall, tall], { join: { animated: true } })
            .toColourspace('b-w')
            .tiff()
            .toBuffer(),
        );
        const tsx = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;
        const engine = spawn(
          process.execPath,
          [
            '--conditions=@gantry/source',
            '--import',
            tsx,
            path.join(testing, 'extract-until-killed.ts'),
            document,
            kind,
          ],
          { stdio: ['ignore', 'pipe', 'inherit'] },
        );
        try {
          const [line] = (await once(engine.stdout, 'data')) as [Buffer];
          const pids = JSON.parse(line.toString('utf8')) as number[];
          expect(pids).toHaveLength(2);
          expect(pids.every(isRunning)).toBe(true);
          const killedAt = performance.now();
          engine.kill('SIGKILL');
          while (pids.some(isRunning) && performance.now() - killedAt < 2000) {
            await new Promise((resolve) => setTimeout(resolve, 50));
          }
          console.info(`recognizers gone ${Math.round(performance.now() - killedAt)} ms after the kill`);
          expect(pids.filter(isRunning)).toEqual([]);
        } finally {
          engine.kill('SIGKILL');
        }
      }, 60_000);
    });
  },
);
