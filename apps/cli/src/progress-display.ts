import type { JobProgress } from '@gantry/contracts';
import cliProgress from 'cli-progress';

export interface ProgressDisplay {
  update(progress: JobProgress): void;
  stop(): void;
}

/**
 * A job's progress on stderr (stdout stays for the result): a bar on a terminal, one plain line per
 * report otherwise, so logs and pipes read well.
 */
function progressDisplay(label: string, stream: NodeJS.WriteStream = process.stderr): ProgressDisplay {
  if (!stream.isTTY) {
    return {
      update: ({ pct, message }) =>
        stream.write(`${label} ${Math.round(pct)}%${message ? ` ${message}` : ''}\n`),
      stop: () => undefined,
    };
  }
  const bar = new cliProgress.SingleBar(
    { stream, format: `${label} |{bar}| {percentage}% {message}`, hideCursor: true, clearOnComplete: false },
    cliProgress.Presets.shades_classic,
  );
  bar.start(100, 0, { message: 'queued' });
  return {
    update: ({ pct, message }) => bar.update(Math.round(pct), { message: message ?? '' }),
    stop: () => bar.stop(),
  };
}

/** What `--wait` adds to an SDK call: progress reports for the display, and `--timeout`. */
export interface WaitWithProgress {
  onProgress: (progress: JobProgress) => void;
  timeoutMs?: number;
}

/**
 * `--wait`: runs `follow` (the SDK's `run` or `runPipeline`) with its progress shown under `label`,
 * the display stopped however it ends; `timeoutS` is `--timeout`.
 */
export async function withProgress<T>(
  label: string,
  timeoutS: number | undefined,
  follow: (wait: WaitWithProgress) => Promise<T>,
): Promise<T> {
  const display = progressDisplay(label);
  try {
    return await follow({
      onProgress: (progress) => display.update(progress),
      ...(timeoutS === undefined ? {} : { timeoutMs: timeoutS * 1_000 }),
    });
  } finally {
    display.stop();
  }
}
