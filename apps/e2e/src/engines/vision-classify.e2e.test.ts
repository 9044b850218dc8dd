import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { VisionClassifyOutput, VisionTagsOutput } from '@gantry/contracts';
import { colourPrototypes } from '@gantry/vision-worker/colour-classifier';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type EngineStack, fixturesDir, startEngineStack, workerModule } from './engine-stack.js';
import { type VisionModelsDir, visionModelsDir } from './vision-models-dir.js';

// Real: gateway over HTTP, Redis queue, Postgres, the vision worker whose MODELS_DIR holds YOLOX-Nano and
// the dominant-colour ONNX classifier (written here, run by onnxruntime like any installed classifier).
let models: VisionModelsDir;
let stack: EngineStack;
beforeAll(async () => {
  models = await visionModelsDir({ classifier: true });
  stack = await startEngineStack('vision-classify', [
    { module: workerModule('vision'), app: 'vision', env: { MODELS_DIR: models.dir } },
  ]);
});
afterAll(async () => {
  await stack?.close();
  await models?.remove();
});

const fixture = (name: string) => readFileSync(path.join(fixturesDir, name));

/** The classifier's classes in output order, as its labels.txt lists them. */
const labels = Object.keys(colourPrototypes);

const solid = (background: string, format: 'png' | 'jpeg', width = 160, height = 120) =>
  sharp({ create: { width, height, channels: 3, background } })
    .toFormat(format)
    .toBuffer();

const run = <T>(type: string, bytes: Uint8Array, filename: string, input: Record<string, unknown> = {}) =>
  stack.client.uploadAndWait<T>(type, { bytes, filename }, input);

describe('vision.classify through the whole stack, with a classifier installed', () => {
  it('names the colour of each image first, top_k labels best first with their class index, and the classifier on the job', async () => {
    const cases = [
      ['#e01818', 'red', 'png'],
      ['#18c818', 'green', 'jpeg'],
      ['#1818e0', 'blue', 'png'],
      ['#f4f4f4', 'white', 'jpeg'],
      ['#e018e0', 'magenta', 'png'],
      ['#101010', 'black', 'jpeg'],
    ] as const;
    const jobs = await Promise.all(
      cases.map(async ([colour, , format]) =>
        run<VisionClassifyOutput>(
          'vision.classify',
          await solid(colour, format),
          `${colour.slice(1)}.${format}`,
          {
            top_k: 3,
          },
        ),
      ),
    );
    jobs.forEach((job, i) => {
      const [colour, label] = cases[i] ?? expect.unreachable();
      expect(job.status, colour).toBe('succeeded');
      expect(job.model, colour).toEqual({
        name: 'colour-classifier',
        version: '1.0.0',
        sha256: models.classifier?.model_sha256,
      });
      const output = job.output ?? expect.unreachable('a succeeded job has an output');
      expect(output).toMatchObject({ width: 160, height: 120 });
      expect(output.labels, colour).toHaveLength(3);
      expect(output.labels[0]?.label, colour).toBe(label);
      expect(output.labels[0]?.score, colour).toBeGreaterThan(0.9);
      const scores = output.labels.map((l) => l.score);
      expect(scores, colour).toEqual([...scores].sort((a, b) => b - a));
      for (const { label: name, index } of output.labels) expect(labels[index], colour).toBe(name);
    });
  });

  it('leaves out labels under min_score, and gives every class with top_k past the class count', async () => {
    const red = await solid('#e01818', 'png');
    const confident = await run<VisionClassifyOutput>('vision.classify', red, 'red.png', {
      top_k: 5,
      min_score: 0.5,
    });
    expect(confident.output?.labels.map((l) => l.label)).toEqual(['red']);
    const all = await run<VisionClassifyOutput>('vision.classify', red, 'red.png', { top_k: 100 });
    expect(all.output?.labels).toHaveLength(labels.length);
    expect(all.output?.labels.reduce((sum, l) => sum + l.score, 0)).toBeCloseTo(1, 2);
  });

  it("vision.tags adds the classifier's colour as a classification label, beside dog.jpg's detections", async () => {
    const blue = await run<VisionTagsOutput>('vision.tags', await solid('#1818e0', 'png'), 'blue.png');
    expect(blue.status).toBe('succeeded');
    expect(blue.output?.labels).toEqual([
      { label: 'blue', source: 'classification', count: 1, confidence: expect.any(Number) },
    ]);
    expect(blue.output?.labels[0]?.confidence).toBeGreaterThan(0.9);

    const dog = await run<VisionTagsOutput>('vision.tags', fixture('images/dog.jpg'), 'dog.jpg');
    const bySource = (source: string) =>
      dog.output?.labels.filter((l) => l.source === source).map((l) => l.label);
    expect(bySource('detection')).toEqual(expect.arrayContaining(['dog', 'bicycle']));
    expect(bySource('classification')).toEqual(['grey']);
  });
});
