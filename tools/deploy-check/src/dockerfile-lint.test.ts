import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { type DockerStage, readDockerfile, stageChain } from './read-dockerfile.js';
import { repoRoot } from './repo-root.js';

// No container engine here: the Dockerfile is parsed (dockerfile-ast) and every target checked for what an
// image build and a container start would need. image-replay.int.test.ts runs two targets' steps for real.
const stages = readDockerfile(readFileSync(path.join(repoRoot, 'docker/Dockerfile'), 'utf8'));
const targets = ['gateway', 'ocr', 'llm', 'vision', 'predictive', 'vision-gpu'];
const instructions = (chain: DockerStage[], keyword: string) =>
  chain.flatMap((stage) => stage.instructions.filter((instruction) => instruction.keyword === keyword));
const dockerignore = readFileSync(path.join(repoRoot, '.dockerignore'), 'utf8')
  .split('\n')
  .filter((line) => line.trim() && !line.startsWith('#'))
  .map((pattern) => pattern.replace(/^\*\*\//, ''));
const appOf = (target: string) => target.replace(/-gpu$/, '');

/** Paths a stage's base image holds before any instruction: the official Node images' binary. */
const imagePaths: Record<string, string[]> = { 'node:22-bookworm-slim': ['/usr/local/bin/node'] };

describe('docker/Dockerfile', () => {
  it('has one runnable target per app, each with a CUDA variant only for vision', () => {
    const runnable = stages.filter((stage) => stage.instructions.some((each) => each.keyword === 'CMD'));
    expect(runnable.map((stage) => stage.name).sort()).toEqual([...targets].sort());
  });

  it('builds on Node 22 LTS slim, and the GPU target on an NVIDIA CUDA runtime', () => {
    expect(stageChain(stages, 'gateway')[0]?.base).toMatch(/^node:22-[a-z]+-slim$/);
    expect(stageChain(stages, 'vision-gpu')[0]?.base).toMatch(/^nvidia\/cuda:12[\d.]*-cudnn-runtime-/);
    const build = stages.find((stage) => stage.name === 'build');
    expect(build?.instructions.filter((each) => each.keyword === 'RUN').map((each) => each.text)).toEqual([
      'npm ci --no-audit --no-fund',
      expect.stringMatching(/^npx nx run-many -t build/),
    ]);
  });

  it.each(targets)(
    '%s: runs as a non-root user it creates, under tini, with a health check on /readyz',
    (target) => {
      const chain = stageChain(stages, target);
      const user = instructions(chain, 'USER').at(-1)?.args[0];
      expect(user).toBeDefined();
      expect(['root', '0']).not.toContain(user?.split(':')[0]);
      // The user the chain creates: the last word of its `useradd` command.
      const created = instructions(chain, 'RUN').flatMap(
        (run) => /useradd ([^&\\\n]*)/.exec(run.text)?.[1]?.trim().split(/\s+/).at(-1) ?? [],
      );
      expect(created).toContain(user);
      expect(instructions(chain, 'ENTRYPOINT').at(-1)?.args).toEqual(['/usr/bin/tini', '--']);
      const health = instructions(chain, 'HEALTHCHECK');
      expect(health).toHaveLength(1);
      expect(health[0]?.args).toEqual(['node', '/app/healthcheck.mjs']);
      expect(readFileSync(path.join(repoRoot, 'docker/healthcheck.mjs'), 'utf8')).toContain('/readyz');
    },
  );

  it.each(targets)('%s: serves on the port it exposes, and starts the app’s build output', (target) => {
    const chain = stageChain(stages, target);
    const env = Object.assign({}, ...instructions(chain, 'ENV').map((each) => each.env)) as Record<
      string,
      string
    >;
    const port = target === 'gateway' ? env['GATEWAY_PORT'] : env['WORKER_HEALTH_PORT'];
    expect(instructions(chain, 'EXPOSE').map((each) => each.args[0])).toEqual([port]);
    const cmd = instructions(chain, 'CMD').at(-1)?.args;
    expect(cmd).toEqual(['node', `apps/${appOf(target)}/dist/main.js`]);
    // The build compiles src/main.ts to dist/main.js (tsconfig.lib.json: rootDir src, outDir dist).
    expect(existsSync(path.join(repoRoot, `apps/${appOf(target)}/src/main.ts`))).toBe(true);
    expect(env['WORKER_DEVICE']).toBe(target.endsWith('-gpu') ? 'gpu' : undefined);
  });

  it.each(targets)(
    '%s: copies only sources that exist in the repository or are made by the stage they come from',
    (target) => {
      for (const copy of instructions(stageChain(stages, target), 'COPY')) {
        const [source] = copy.args;
        expect(source).toBeDefined();
        if (copy.from === null) {
          expect(existsSync(path.join(repoRoot, source ?? '')), source).toBe(true);
          expect(dockerignore.some((pattern) => source?.includes(pattern.replace(/\/$/, '')))).toBe(false);
          continue;
        }
        const from = stageChain(stages, copy.from);
        const made = instructions(from, 'RUN').some((run) =>
          new RegExp(`(stage-app\\.sh \\S+|mkdir -p) ${source}( |$)`).test(run.text),
        );
        expect(
          made || (imagePaths[from[0]?.base ?? ''] ?? []).includes(source ?? ''),
          `${source} from ${copy.from}`,
        ).toBe(true);
      }
    },
  );

  it.each(targets)('%s: gets its production tree from the stage that stages that very app', (target) => {
    const copy = stageChain(stages, target)
      .flatMap((stage) => stage.instructions)
      .find((each) => each.keyword === 'COPY' && each.args[1] === '/app');
    const stage = stages.find((each) => each.name === copy?.from);
    expect(stage?.instructions[0]?.text).toMatch(
      new RegExp(`^sh docker/stage-app\\.sh ${appOf(target)} /out\\b`),
    );
  });

  it('bakes models into the vision images by default, and the CUDA provider into the GPU one', () => {
    const models = stages.find((stage) => stage.name === 'models');
    expect(models?.instructions.find((each) => each.keyword === 'ARG')?.text).toBe('BAKE_MODELS=1');
    expect(models?.instructions.find((each) => each.keyword === 'RUN')?.text).toContain(
      'node tools/models/dist/fetch.js /models',
    );
    for (const target of ['vision', 'vision-gpu']) {
      const env = Object.assign(
        {},
        ...instructions(stageChain(stages, target), 'ENV').map((each) => each.env),
      ) as Record<string, string>;
      expect(env['MODELS_DIR']).toBe('/app/models');
    }
    const gpu = stages.find((stage) => stage.name === 'vision-gpu-stage');
    expect(gpu?.instructions[0]?.text).toContain('ONNXRUNTIME_NODE_INSTALL=cuda12 node script/install');
  });

  it.each(['vision', 'vision-gpu'])(
    '%s: installs ffmpeg for vision.video, where VISION_FFMPEG_PATH/VISION_FFPROBE_PATH point',
    (target) => {
      const chain = stageChain(stages, target);
      const installs = instructions(chain, 'RUN').some((run) =>
        /apt-get install -y --no-install-recommends (\S+ )*ffmpeg\b/.test(run.text),
      );
      expect(installs).toBe(true);
      const env = Object.assign({}, ...instructions(chain, 'ENV').map((each) => each.env)) as Record<
        string,
        string
      >;
      // Debian's ffmpeg package ships both binaries in /usr/bin.
      expect([env['VISION_FFMPEG_PATH'], env['VISION_FFPROBE_PATH']]).toEqual([
        '/usr/bin/ffmpeg',
        '/usr/bin/ffprobe',
      ]);
      for (const other of targets.filter((each) => !each.startsWith('vision')))
        for (const run of instructions(stageChain(stages, other), 'RUN'))
          expect(run.text).not.toContain('ffmpeg');
    },
  );

  it('ocr: installs Debian’s tesseract-ocr for OCR_ENGINE=native, where OCR_TESSERACT_PATH points; no other image', () => {
    const ocr = JSON.parse(readFileSync(path.join(repoRoot, 'apps/ocr/package.json'), 'utf8')) as {
      dependencies: Record<string, string>;
    };
    // tesseract.js stays the default engine; the native CLI is the alternative.
    expect(ocr.dependencies['tesseract.js']).toBeDefined();
    const chain = stageChain(stages, 'ocr');
    expect(
      instructions(chain, 'RUN').some((run) =>
        /apt-get install -y --no-install-recommends (\S+ )*tesseract-ocr tesseract-ocr-eng\b/.test(run.text),
      ),
    ).toBe(true);
    const env = Object.assign({}, ...instructions(chain, 'ENV').map((each) => each.env)) as Record<
      string,
      string
    >;
    expect(env['OCR_TESSERACT_PATH']).toBe('/usr/bin/tesseract');
    for (const other of targets.filter((each) => each !== 'ocr'))
      for (const run of instructions(stageChain(stages, other), 'RUN'))
        expect(run.text).not.toContain('tesseract-ocr');
  });
});
