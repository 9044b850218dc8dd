import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { cp, mkdir } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { type DockerStage, stageChain } from './read-dockerfile.js';
import { repoRoot } from './repo-root.js';

export interface ReplayedImage {
  /** The folder that stands for the image's root: `/app` is `<root>/app`. */
  root: string;
  /** The image's environment (its ENV instructions), as the container would start with it. */
  env: Record<string, string>;
  workdir: string;
  cmd: string[];
  healthcheck: string[];
  /** Maps a path inside the image to the staging folder. */
  local(imagePath: string): string;
}

const run = promisify(execFile);

/**
 * Builds one target's file system in `root` from the Dockerfile's own instructions. The build stage's
 * `npm ci` and `nx build` are not run again: this repository, installed and built by the test run itself
 * (the test target depends on the builds), is that stage's result — a second install and monorepo build
 * would take minutes on two cores. Everything after it is replayed: the `<app>-stage` commands (the npm ci
 * of the app's production dependencies), the COPYs into the runtime image, its ENV, WORKDIR, CMD and
 * HEALTHCHECK. A runtime stage's RUN installs OS packages into the base image (tini, the user), which a
 * staging folder has no use for; any other instruction the replay does not know fails it.
 */
export async function replayImage(
  stages: readonly DockerStage[],
  target: string,
  root: string,
): Promise<ReplayedImage> {
  const local = (imagePath: string) => path.join(root, imagePath);
  const inImage = (text: string) =>
    text.replace(/(^|\s)\/(out|app|models)\b/g, (_m, space: string, dir: string) => `${space}${local(dir)}`);
  const env: Record<string, string> = {};
  let workdir = '/';
  let cmd: string[] = [];
  let healthcheck: string[] = [];
  const replayed = new Set<string>();

  const replayStage = async (stage: DockerStage) => {
    if (stage.name === 'build' || replayed.has(stage.name)) return;
    replayed.add(stage.name);
    for (const instruction of stage.instructions) {
      switch (instruction.keyword) {
        case 'RUN':
          if (instruction.text.startsWith('apt-get update')) break;
          // A build stage's commands run in the repository (the build stage's WORKDIR, /src).
          await run('sh', ['-c', inImage(instruction.text)], {
            cwd: repoRoot,
            env: { ...process.env, npm_config_prefer_offline: 'true' },
            maxBuffer: 16 * 1_048_576,
          });
          break;
        case 'COPY': {
          const [source, destination] = instruction.args;
          if (!source || !destination)
            throw new Error(`COPY ${instruction.text}: source and destination expected`);
          if (instruction.from) {
            for (const stage of stageChain(stages, instruction.from)) await replayStage(stage);
            if (instruction.from === 'build')
              throw new Error(`COPY --from=build ${source}: the build stage is not replayed`);
          }
          const from = instruction.from ? local(source) : path.join(repoRoot, source);
          await mkdir(path.dirname(local(destination)), { recursive: true });
          await cp(from, local(destination), { recursive: true, verbatimSymlinks: true });
          break;
        }
        case 'ENV':
          Object.assign(env, instruction.env);
          break;
        case 'WORKDIR':
          workdir = instruction.args[0] ?? '/';
          break;
        case 'CMD':
          cmd = instruction.args;
          break;
        case 'HEALTHCHECK':
          healthcheck = instruction.args;
          break;
        case 'USER':
        case 'EXPOSE':
        case 'ENTRYPOINT':
        case 'ARG':
          break;
        default:
          throw new Error(`the replay does not know ${instruction.keyword} ${instruction.text}`);
      }
    }
  };
  await mkdir(root, { recursive: true });
  for (const stage of stageChain(stages, target)) await replayStage(stage);
  return { root, env, workdir, cmd, healthcheck, local };
}

/** Runs an image command (`node …`, paths inside the image) from the staging folder, with only the env given. */
export function runInImage(
  image: ReplayedImage,
  command: readonly string[],
  env: Record<string, string>,
): ChildProcess {
  const [program, ...args] = command.map((arg) => (arg.startsWith('/app') ? image.local(arg) : arg));
  if (program !== 'node') throw new Error(`only node commands are replayed, not ${program}`);
  return spawn(process.execPath, args, {
    cwd: image.local(image.workdir),
    env: { PATH: process.env['PATH'] ?? '/usr/bin:/bin', ...image.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}
