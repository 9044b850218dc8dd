import type { GantryClient } from '@gantry/client';
import type { Argv } from 'yargs';
import { printJson } from '../print.js';
import { withProgress } from '../progress-display.js';
import { readFileArg } from '../read-file-arg.js';
import { readInput } from '../read-input.js';

/** `gantry run <type> [file]`: submit a job, and with `--wait` follow it to its end. */
export function runCommand(cli: Argv, client: () => Promise<GantryClient>, signal: AbortSignal): Argv {
  return cli.command(
    'run <type> [file]',
    'Submit a job (the file, if given, goes into its file field); --wait follows it to its end',
    (y) =>
      y
        .positional('type', { type: 'string', demandOption: true, describe: 'Job type, e.g. ocr.extract' })
        .positional('file', { type: 'string', describe: 'A file to upload (image, PDF…)' })
        .option('input', { type: 'string', describe: 'The input as JSON, or @file.json' })
        .option('wait', { type: 'boolean', default: false, describe: 'Wait for the end, showing progress' })
        .option('json', { type: 'boolean', default: false, describe: 'Print the job object as JSON' })
        .option('priority', { type: 'number', describe: '1 (first) … 10' })
        .option('timeout', {
          type: 'number',
          describe: 'With --wait: give up after this many seconds (exit 5)',
        })
        .option('idempotency-key', { type: 'string', describe: 'Makes a repeated run return the same job' }),
    async (args) => {
      const input = await readInput(args.input);
      const file = await readFileArg(args.file);
      const gantry = await client();
      const options = {
        signal,
        ...(file ? { file } : {}),
        ...(args.priority === undefined ? {} : { priority: args.priority }),
        ...(args['idempotency-key'] ? { idempotencyKey: args['idempotency-key'] } : {}),
      };
      if (!args.wait) {
        const job = await gantry.submit(args.type, input, options);
        if (args.json) printJson(job);
        else process.stdout.write(`${job.id}\n`);
        return;
      }
      const job = await withProgress(args.type, args.timeout, (wait) =>
        gantry.run(args.type, input, { ...options, ...wait }),
      );
      printJson(args.json ? job : job.output);
    },
  );
}
