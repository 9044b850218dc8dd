import { readFile } from 'node:fs/promises';
import type { GantryClient, PipelineRef, PipelineRun } from '@gantry/client';
import type { Argv } from 'yargs';
import { UsageError } from '../exit-codes.js';
import { printJson, printTable } from '../print.js';
import { withProgress } from '../progress-display.js';
import { readFileArg } from '../read-file-arg.js';
import { readInput } from '../read-input.js';

/** `<name>` (a built-in, e.g. document-summary) or `@definition.json` (an ad-hoc definition). */
async function readPipeline(value: string): Promise<PipelineRef> {
  if (!value.startsWith('@')) return value;
  let text: string;
  try {
    text = await readFile(value.slice(1), 'utf8');
  } catch {
    throw new UsageError(`cannot read ${value.slice(1)}`);
  }
  try {
    return JSON.parse(text) as PipelineRef;
  } catch (error) {
    throw new UsageError(
      `${value.slice(1)} is not JSON: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
}

/** A run for people: its id and status, then a line per step. */
function printRun(run: PipelineRun): void {
  process.stdout.write(`${run.id} ${run.status} ${Math.round(run.progress.pct)}%\n`);
  printTable(
    ['STEP', 'TYPE', 'STATUS', 'ERROR'],
    run.steps.map((step) => [step.id, step.type, step.status, step.error?.code ?? '']),
  );
}

/**
 * `gantry pipelines run|get|cancel`: a named pipeline or a definition file run as one command, its
 * progress shown as a job's is; a run that does not succeed exits 1, as a job does.
 */
export function pipelinesCommand(cli: Argv, client: () => Promise<GantryClient>, signal: AbortSignal): Argv {
  const id = (y: Argv) => y.positional('id', { type: 'string', demandOption: true, describe: 'A run id' });
  return cli.command(
    'pipelines',
    'Run a pipeline (a name or @definition.json), read or cancel a run',
    (pipelines) =>
      pipelines
        .option('json', { type: 'boolean', default: false, describe: 'The API’s run object' })
        .command(
          'run <pipeline> [file]',
          "Start a run (the file, if given, becomes its input's file); --wait follows it to its end",
          (y) =>
            y
              .positional('pipeline', {
                type: 'string',
                demandOption: true,
                describe: 'A pipeline name (document-summary), or @file.json holding a definition',
              })
              .positional('file', { type: 'string', describe: 'A file to upload (PDF, image…)' })
              .option('input', { type: 'string', describe: 'The rest of the input as JSON, or @file.json' })
              .option('wait', {
                type: 'boolean',
                default: false,
                describe: 'Wait for the end, showing progress',
              })
              .option('pipeline-version', {
                type: 'number',
                describe: 'A released version of a named pipeline (its latest by default)',
              })
              .option('priority', { type: 'number', describe: '1 (first) … 10' })
              .option('timeout', {
                type: 'number',
                describe: 'With --wait: give up after this many seconds (exit 5)',
              })
              .option('idempotency-key', {
                type: 'string',
                describe: 'Makes a repeated run return the same run',
              }),
          async (args) => {
            const pipeline = await readPipeline(String(args.pipeline));
            const input = await readInput(args.input);
            const file = await readFileArg(args.file);
            const gantry = await client();
            const options = {
              signal,
              ...(file ? { file } : {}),
              ...(args['pipeline-version'] === undefined ? {} : { version: args['pipeline-version'] }),
              ...(args.priority === undefined ? {} : { priority: args.priority }),
              ...(args['idempotency-key'] ? { idempotencyKey: args['idempotency-key'] } : {}),
            };
            if (!args.wait) {
              const run = await gantry.submitPipeline(pipeline, input, options);
              if (args.json) printJson(run);
              else process.stdout.write(`${run.id}\n`);
              return;
            }
            const label = typeof pipeline === 'string' ? pipeline : 'pipeline';
            const run = await withProgress(label, args.timeout, (wait) =>
              gantry.runPipeline(pipeline, input, { ...options, ...wait }),
            );
            printJson(args.json ? run : run.output);
          },
        )
        .command('get <id>', 'A run: its status, then each step', id, async (args) => {
          const run = await (await client()).getPipelineRun(String(args['id']), signal);
          if (args['json'] === true) printJson(run);
          else printRun(run);
        })
        .command('cancel <id>', 'Cancel a run and its queued and running steps', id, async (args) => {
          const run = await (await client()).cancelPipelineRun(String(args['id']));
          if (args['json'] === true) printJson(run);
          else process.stdout.write(`${run.id} ${run.status}\n`);
        })
        .demandCommand(1, 'name a pipelines command: run, get or cancel'),
  );
}
