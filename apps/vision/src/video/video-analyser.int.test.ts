import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { copyFile, mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { promisify } from 'node:util';
import { gunzipSync } from 'node:zlib';
import { GantryError } from '@gantry/contracts';
import { defaultLanguageDir } from '@gantry/tesseract-languages';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBarcodeReader } from '../engine/barcode-reader.js';
import { createObjectDetector, type ObjectDetector } from '../engine/create-object-detector.js';
import { createFrameTextReader, type FrameTextReader } from './frame-text-reader.js';
import { createVideoAnalyser, type VideoAnalyser, type VideoAnalyserOptions } from './video-analyser.js';

// Real Debian ffmpeg/ffprobe, YOLOX-Nano and zxing-wasm on videos encoded here from the shared photos.
const repoRoot = path.resolve(import.meta.dirname, '../../../..');
const modelsDir = process.env['MODELS_DIR'] ?? path.resolve(repoRoot, '../shared/models');
const fixtures = path.resolve(repoRoot, '../shared/fixtures');
const run = promisify(execFile);
const englishDir = defaultLanguageDir();
const request = {
  every_s: 0.5,
  sample: 'rate' as const,
  scene_threshold: 0.3,
  analyses: ['detect' as const],
  languages: ['eng'],
  min_score: 0.3,
  max_frames: 60,
};

let scratch: string;
let detector: ObjectDetector;
let text: FrameTextReader;
let base: VideoAnalyserOptions;
let analyser: VideoAnalyser;
const videos: Record<string, Buffer> = {};

async function encode(name: string, args: string[]) {
  const file = path.join(scratch, name);
  await run('/usr/bin/ffmpeg', ['-v', 'error', '-y', ...args, file]);
  videos[name] = await readFile(file);
}

/**
 * Pids of this process's children whose command is `name`, read from /proc/<pid>/stat
 * ("pid (comm) state ppid …"; comm may hold spaces, so the fields after it are split at its last ")").
 */
async function childProcesses(name: string): Promise<number[]> {
  const pids: number[] = [];
  for (const entry of await readdir('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const stat = await readFile(`/proc/${entry}/stat`, 'utf8').catch(() => '');
    const end = stat.lastIndexOf(')');
    const ppid = stat.slice(end + 2).split(' ')[1];
    if (stat.slice(stat.indexOf('(') + 1, end) === name && Number(ppid) === process.pid)
      pids.push(Number(entry));
  }
  return pids;
}

async function failure(promise: Promise<unknown>): Promise<GantryError> {
  const caught: unknown = await promise.then(
    () => null,
    (error: unknown) => error,
  );
  if (!(caught instanceof GantryError)) throw new Error(`expected a GantryError, got ${String(caught)}`);
  return caught;
}

beforeAll(async () => {
  scratch = await mkdtemp(path.join(tmpdir(), 'gantry-video-test-'));
  const even = 'scale=trunc(iw/2)*2:trunc(ih/2)*2';
  await Promise.all([
    encode('dog.mp4', [
      '-loop',
      '1',
      '-i',
      path.join(fixtures, 'images/dog.jpg'),
      '-t',
      '2',
      '-r',
      '5',
      '-vf',
      even,
      '-c:v',
      'libx264',
      '-pix_fmt',
      'yuv420p',
      // The same stream in a QuickTime container, as a phone saves it.
    ]).then(() => encode('dog.mov', ['-i', path.join(scratch, 'dog.mp4'), '-c', 'copy'])),
    encode('label.webm', [
      '-loop',
      '1',
      '-i',
      path.join(fixtures, 'barcodes/photo-mixed.jpg'),
      '-t',
      '1',
      '-r',
      '5',
      '-vf',
      even,
      '-c:v',
      'libvpx',
      '-b:v',
      '4M',
    ]),
    // Three 1 s shots at 10 frames a second: navy, yellow, the test pattern; the cuts are at 1 s and 2 s.
    encode('scenes.mp4', [
      ...[
        'color=c=navy:s=64x64:r=10:d=1',
        'color=c=yellow:s=64x64:r=10:d=1',
        'testsrc=s=64x64:r=10:d=1',
      ].flatMap((source) => ['-f', 'lavfi', '-i', source]),
      '-filter_complex',
      '[0][1][2]concat=n=3:v=1:a=0',
      '-c:v',
      'libx264',
      '-pix_fmt',
      'yuv420p',
    ]),
    // Two 1 s shots of a black word on white, drawn with Debian's DejaVu font.
    encode('words.mp4', [
      ...['GANTRY', 'TIMELINE'].flatMap((word) => [
        '-f',
        'lavfi',
        '-i',
        `color=c=white:s=480x120:r=5:d=1,drawtext=fontfile=/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf:text=${word}:fontsize=64:fontcolor=black:x=30:y=25`,
      ]),
      '-filter_complex',
      '[0][1]concat=n=2:v=1:a=0',
      '-c:v',
      'libx264',
      '-pix_fmt',
      'yuv420p',
    ]),
    // Clips shorter than a sampling interval, and one whose last second is a part one (25 frames a second).
    ...[0.2, 0.4, 2.4, 3].map((seconds) =>
      encode(`clip-${seconds}.mp4`, [
        '-f',
        'lavfi',
        '-i',
        `testsrc=size=64x64:rate=25:duration=${seconds}`,
        '-c:v',
        'libx264',
        '-pix_fmt',
        'yuv420p',
      ]),
    ),
    // Animated GIFs, as vision.video may be handed one: two tenths of a second, and 2.4 s.
    ...[0.2, 2.4].map((seconds) =>
      encode(`anim-${seconds}.gif`, ['-f', 'lavfi', '-i', `testsrc=size=64x64:rate=10:duration=${seconds}`]),
    ),
    encode('long.mp4', [
      '-f',
      'lavfi',
      '-i',
      'testsrc=size=64x64:rate=5:duration=4',
      '-c:v',
      'libx264',
      '-pix_fmt',
      'yuv420p',
    ]),
    // Two minutes of one grey 1080p picture (one second encoded, then looped by stream copy): a scene
    // sampling finds nothing past the first frame, so ffmpeg decodes for seconds writing nothing.
    encode('grey.mp4', [
      '-f',
      'lavfi',
      '-i',
      'color=c=gray:s=1920x1080:r=30:d=1',
      '-c:v',
      'libx264',
      '-preset',
      'ultrafast',
      '-pix_fmt',
      'yuv420p',
    ]).then(() =>
      encode('still.mp4', ['-stream_loop', '119', '-i', path.join(scratch, 'grey.mp4'), '-c', 'copy']),
    ),
  ]);
  detector = await createObjectDetector({ modelsDir, intraOpNumThreads: 1 });
  text = await createFrameTextReader();
  base = {
    detector,
    barcodes: await createBarcodeReader({ maxPixels: 40_000_000 }),
    text,
    ffmpeg: '/usr/bin/ffmpeg',
    ffprobe: '/usr/bin/ffprobe',
    maxDurationS: 60,
    maxFrames: 300,
    maxPixels: 40_000_000,
  };
  analyser = createVideoAnalyser(base);
}, 120_000);
afterAll(async () => {
  await detector?.close();
  await text?.close();
  await rm(scratch, { recursive: true, force: true });
});

describe('createVideoAnalyser', () => {
  it('samples an MP4 at the asked rate and detects the dog in every frame', async () => {
    const result = await analyser.analyse(videos['dog.mp4'] as Buffer, request);
    expect(result).toMatchObject({
      width: 768,
      height: 576,
      frame_width: 768,
      frame_height: 576,
      codec: 'h264',
      frame_limit: 60,
    });
    expect(result.duration_s).toBeCloseTo(2, 0);
    // Five frames a second: the first frame at or past each half second, at the time it is shown.
    expect(result.frames.map((frame) => frame.time_s)).toEqual([0, 0.6, 1, 1.6]);
    for (const frame of result.frames) {
      expect(frame.objects?.map((object) => object.label)).toContain('dog');
      expect(frame.barcodes).toBeUndefined();
    }
  });

  it('samples a QuickTime MOV as it does an MP4', async () => {
    const result = await analyser.analyse(videos['dog.mov'] as Buffer, request);
    expect(result).toMatchObject({ width: 768, height: 576, codec: 'h264' });
    expect(result.frames.map((frame) => frame.time_s)).toEqual([0, 0.6, 1, 1.6]);
    for (const frame of result.frames) expect(frame.objects?.map((object) => object.label)).toContain('dog');
  });

  it('reads the barcodes of a WebM frame by frame, and stops at max_frames', async () => {
    const result = await analyser.analyse(videos['label.webm'] as Buffer, {
      ...request,
      analyses: ['barcodes'],
      every_s: 0.2,
      max_frames: 2,
    });
    expect(result.codec).toBe('vp8');
    expect(result.frames).toHaveLength(2);
    expect(result.frames[0]?.barcodes?.map((b) => `${b.format}:${b.text}`).sort()).toEqual([
      'ean_13:5901234123457',
      'qr_code:https://example.com/t/ORD-2024-0917?c=42',
    ]);
  });

  it.each([
    [0.2, 1, [0]],
    [0.4, 1, [0]],
    [3, 10, [0]],
    [2.4, 1, [0, 1, 2]],
    [2.4, 0.6, [0, 0.6, 1.2, 1.8]],
  ])(
    'samples a %s s clip every %s s at 0, every_s, 2·every_s… up to its end: %j',
    async (seconds, every_s, times) => {
      const result = await analyser.analyse(videos[`clip-${seconds}.mp4`] as Buffer, { ...request, every_s });
      expect(result.frames.map((frame) => frame.time_s)).toEqual(times);
    },
  );

  it.each([
    [0.2, [0]],
    [2.4, [0, 1, 2]],
  ])('reads the frames of a %s s animated GIF as it does a video: %j', async (seconds, times) => {
    const result = await analyser.analyse(videos[`anim-${seconds}.gif`] as Buffer, {
      ...request,
      every_s: 1,
    });
    expect(result.codec).toBe('gif');
    expect(result.frames.map((frame) => frame.time_s)).toEqual(times);
  });

  it('samples the first frame and each scene cut, each at its own time', async () => {
    const result = await analyser.analyse(videos['scenes.mp4'] as Buffer, {
      ...request,
      sample: 'scene',
      every_s: 0.1,
    });
    const times = result.frames.map((frame) => frame.time_s);
    expect(times).toHaveLength(3);
    [0, 1, 2].forEach((cut, index) => expect(Math.abs((times[index] ?? -1) - cut)).toBeLessThanOrEqual(0.1));
    // A threshold above any cut's score leaves the first frame alone; max_frames still caps the cuts.
    const strict = await analyser.analyse(videos['scenes.mp4'] as Buffer, {
      ...request,
      sample: 'scene',
      scene_threshold: 1,
    });
    expect(strict.frames.map((frame) => frame.time_s)).toEqual([0]);
    const capped = await analyser.analyse(videos['scenes.mp4'] as Buffer, {
      ...request,
      sample: 'scene',
      max_frames: 2,
    });
    expect(capped.frames).toHaveLength(2);
  });

  it('reads the text of each shot with tesseract.js', async () => {
    const result = await analyser.analyse(videos['words.mp4'] as Buffer, {
      ...request,
      sample: 'scene',
      analyses: ['ocr'],
    });
    expect(result.frames.map((frame) => [frame.time_s, frame.text])).toEqual([
      [0, 'GANTRY'],
      [1, 'TIMELINE'],
    ]);
    expect(result.frames[0]?.objects).toBeUndefined();
  });

  it('announces each installed OCR language as a model, as the OCR worker does', async () => {
    const file = path.join(englishDir, 'eng.traineddata.gz');
    expect(text.models).toEqual([
      {
        name: 'tesseract-eng',
        version: '4.0.0_best_int',
        sha256: createHash('sha256')
          .update(await readFile(file))
          .digest('hex'),
      },
    ]);
  });

  it('refuses a language that is not installed with VALIDATION_FAILED, before reading the video', async () => {
    for (const bytes of [videos['words.mp4'] as Buffer, Buffer.alloc(0)]) {
      const error = await failure(
        analyser.analyse(bytes, { ...request, analyses: ['ocr'], languages: ['eng', 'deu'] }),
      );
      expect(error.code).toBe('VALIDATION_FAILED');
      expect(error.details).toMatchObject({ path: ['languages'], unknown: ['deu'], available: ['eng'] });
    }
  });

  it('reads the languages of another directory, and refuses to start without any', async () => {
    const missing = await failure(createFrameTextReader({ langDir: path.join(scratch, 'no-tessdata') }));
    expect(missing.code).toBe('MODEL_UNAVAILABLE');
    expect(missing.message).toMatch(/no-tessdata/);

    // A language directory as VISION_OCR_LANGUAGE_DIR names one: the shipped English copied there.
    const dir = path.join(scratch, 'tessdata', '4.0.0_best_int');
    await mkdir(dir, { recursive: true });
    await copyFile(path.join(englishDir, 'eng.traineddata.gz'), path.join(dir, 'eng.traineddata.gz'));
    const copied = await createFrameTextReader({ langDir: dir });
    try {
      expect(copied.models).toEqual(text.models);
      const result = await createVideoAnalyser({ ...base, text: copied }).analyse(
        videos['words.mp4'] as Buffer,
        {
          ...request,
          sample: 'scene',
          analyses: ['ocr'],
        },
      );
      expect(result.frames.map((frame) => frame.text)).toEqual(['GANTRY', 'TIMELINE']);
    } finally {
      await copied.close();
    }

    // Plain traineddata files, as Debian's tessdata holds them: the same English, unpacked.
    const plainDir = path.join(scratch, 'tessdata', 'plain');
    await mkdir(plainDir, { recursive: true });
    const plain = gunzipSync(await readFile(path.join(englishDir, 'eng.traineddata.gz')));
    await writeFile(path.join(plainDir, 'eng.traineddata'), plain);
    const unpacked = await createFrameTextReader({ langDir: plainDir });
    try {
      expect(unpacked.models).toEqual([
        { name: 'tesseract-eng', version: 'plain', sha256: createHash('sha256').update(plain).digest('hex') },
      ]);
      const result = await createVideoAnalyser({ ...base, text: unpacked }).analyse(
        videos['words.mp4'] as Buffer,
        { ...request, sample: 'scene', analyses: ['ocr'] },
      );
      expect(result.frames.map((frame) => frame.text)).toEqual(['GANTRY', 'TIMELINE']);
    } finally {
      await unpacked.close();
    }
  });

  it('refuses what is not a video, empty and truncated files with MEDIA_CORRUPT', async () => {
    const dog = videos['dog.mp4'] as Buffer;
    for (const [name, bytes] of [
      ['text named .mp4', Buffer.from('this is a text file, not a movie\n'.repeat(20))],
      ['zero bytes', Buffer.alloc(0)],
      ['truncated', dog.subarray(0, Math.floor(dog.length * 0.4))],
    ] as const) {
      const error = await failure(analyser.analyse(bytes, request));
      expect([name, error.code]).toEqual([name, 'MEDIA_CORRUPT']);
    }
  });

  it('refuses a video over the duration or frame size limits before decoding it', async () => {
    const long = await failure(
      createVideoAnalyser({ ...base, maxDurationS: 2 }).analyse(videos['long.mp4'] as Buffer, request),
    );
    expect(long.code).toBe('MEDIA_TOO_LARGE');
    expect(long.message).toMatch(/VISION_VIDEO_MAX_DURATION_S/);
    const big = await failure(
      createVideoAnalyser({ ...base, maxPixels: 100_000 }).analyse(videos['dog.mp4'] as Buffer, request),
    );
    expect(big.code).toBe('MEDIA_TOO_LARGE');
    expect(big.message).toMatch(/VISION_VIDEO_MAX_PIXELS/);
    expect(big.details).toMatchObject({ width: 768, height: 576 });
  });

  it("samples no more than the worker's VISION_VIDEO_MAX_FRAMES, whatever max_frames asks, and says which limit applied", async () => {
    const capped = createVideoAnalyser({ ...base, maxFrames: 2 });
    const over = await capped.analyse(videos['dog.mp4'] as Buffer, { ...request, max_frames: 60 });
    expect(over.frame_limit).toBe(2);
    expect(over.frames.map((frame) => frame.time_s)).toEqual([0, 0.6]);
    const under = await capped.analyse(videos['dog.mp4'] as Buffer, { ...request, max_frames: 1 });
    expect(under.frame_limit).toBe(1);
    expect(under.frames).toHaveLength(1);
  });

  it('kills ffmpeg within 2 s of a cancel that comes while it decodes without writing, and fails with the abort reason', async () => {
    expect(await childProcesses('ffmpeg')).toEqual([]);
    const controller = new AbortController();
    const outcome = failure(
      createVideoAnalyser({ ...base, maxDurationS: 600 }).analyse(videos['still.mp4'] as Buffer, {
        ...request,
        sample: 'scene',
        scene_threshold: 1,
        signal: controller.signal,
      }),
    );
    const startedAt = performance.now();
    let found: number[] = [];
    while (found.length === 0 && performance.now() - startedAt < 10_000)
      found = await childProcesses('ffmpeg');
    expect(found).toHaveLength(1);
    // By now the first frame is analysed and ffmpeg decodes the rest, writing nothing to its pipe:
    // only a kill stops it before its seconds of decoding are over.
    await sleep(1_000);
    const canceledAt = performance.now();
    controller.abort(new GantryError('JOB_CANCELED', 'canceled'));
    expect((await outcome).code).toBe('JOB_CANCELED');
    while (existsSync(`/proc/${found[0]}`) && performance.now() - canceledAt < 10_000) await sleep(20);
    expect(existsSync(`/proc/${found[0]}`), `ffmpeg ${found[0]} still there`).toBe(false);
    expect(performance.now() - canceledAt).toBeLessThan(2_000);
    expect(await childProcesses('ffmpeg')).toEqual([]);
  });

  it('says how to install ffmpeg when it is missing', async () => {
    const error = await failure(
      createVideoAnalyser({ ...base, ffprobe: path.join(scratch, 'no-ffprobe') }).analyse(
        videos['dog.mp4'] as Buffer,
        request,
      ),
    );
    expect(error.code).toBe('MODEL_UNAVAILABLE');
    expect(error.message).toMatch(/VISION_FFPROBE_PATH/);
  });
});
