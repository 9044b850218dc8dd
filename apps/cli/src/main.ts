#!/usr/bin/env node
import {
  GantryApiError,
  GantryClient,
  JobFailedError,
  PipelineRunFailedError,
  WaitTimeoutError,
} from '@gantry/client';
import yargs, { type Argv } from 'yargs';
import { hideBin } from 'yargs/helpers';
import { loadCliConfig } from './cli-config.js';
import { handleClosedPipes } from './closed-pipes.js';
import { jobsCommand } from './commands/jobs-command.js';
import { askNames, nameKindAt } from './complete-names.js';
import { pipelinesCommand } from './commands/pipelines-command.js';
import { platformCommands } from './commands/platform-commands.js';
import { runCommand } from './commands/run-command.js';
import { schedulesCommand } from './commands/schedules-command.js';
import { exitCodeOf, exitCodes, UsageError } from './exit-codes.js';
import { printJson } from './print.js';

const interrupt = new AbortController();
process.once('SIGINT', () => interrupt.abort());
handleClosedPipes(process.stdout, process.stderr);

let flags: { url?: string; apiKey?: string; profile?: string } = {};
const client = async () => new GantryClient(await loadCliConfig(flags, process.env));

const epilog = `Config: --url/--api-key, else GANTRY_URL/GANTRY_API_KEY, else a profile of $GANTRY_CONFIG or ~/.config/gantry/config.json.
Exit codes: 0 ok, 1 the job (or pipeline run) did not succeed, 2 usage, 3 refused by the API (4xx), 4 gateway unreachable or failing, 5 --timeout passed, 130 interrupted.`;

function flagsOf(args: Record<string, unknown>): typeof flags {
  const text = (value: unknown) => (typeof value === 'string' && value !== '' ? value : undefined);
  const [url, apiKey, profile] = [text(args['url']), text(args['api-key']), text(args['profile'])];
  return { ...(url ? { url } : {}), ...(apiKey ? { apiKey } : {}), ...(profile ? { profile } : {}) };
}

const commandLine = hideBin(process.argv);
let cli: Argv = yargs(commandLine)
  .scriptName('gantry')
  .usage('$0 <command> [options]')
  .option('url', { type: 'string', global: true, describe: 'The gateway (GANTRY_URL)' })
  .option('api-key', { type: 'string', global: true, describe: 'An API key (GANTRY_API_KEY)' })
  .option('profile', {
    type: 'string',
    global: true,
    describe: 'A profile of the config file (GANTRY_PROFILE)',
  })
  .middleware((args) => {
    flags = flagsOf(args);
  });
cli = runCommand(cli, client, interrupt.signal);
cli = jobsCommand(cli, client, interrupt.signal);
cli = pipelinesCommand(cli, client, interrupt.signal);
cli = platformCommands(cli, client);
cli = schedulesCommand(cli, client);

cli = cli
  .completion(
    'completion',
    'Print a shell completion script: gantry completion >> ~/.bashrc (or ~/.zshrc)',
    (
      current: string,
      argv: Record<string, unknown>,
      completeDefault: () => void,
      done: (names: string[]) => void,
    ) => {
      flags = flagsOf(argv);
      // The word being completed is the last of `_`; the command words come before it.
      const typed = ((argv['_'] as unknown[] | undefined) ?? []).map(String);
      const words = typed.at(-1) === current ? typed.slice(0, -1) : typed;
      // An option being typed (`gantry run --w`) completes as usual, not as a name.
      const kind = current.startsWith('-') ? null : nameKindAt(words);
      if (!kind) return completeDefault();
      void askNames(kind, client).then((names) => done(names.filter((name) => name.startsWith(current))));
    },
  )
  .demandCommand(1, 'name a command')
  .strict()
  .epilog(epilog)
  .fail((message, error) => {
    throw error ?? new UsageError(message);
  })
  .help();

// The shells' scripts ask `gantry --get-yargs-completions <the words typed>`, the program word first.
// Answered here rather than by parseAsync, which takes the program word for that option's value and
// runs the command typed: its validation then races the gateway's answer, and `gantry run <Tab>`
// printed a usage error instead of the job types.
const completionRequest = '--get-yargs-completions';

try {
  if (commandLine[0] === completionRequest) {
    for (const completion of await cli.getCompletion(commandLine.slice(1)))
      process.stdout.write(`${completion}\n`);
  } else {
    await cli.parseAsync();
  }
} catch (error) {
  const code = interrupt.signal.aborted ? exitCodes.interrupted : exitCodeOf(error);
  if (process.argv.includes('--json')) {
    if (error instanceof JobFailedError || error instanceof WaitTimeoutError) printJson(error.job);
    if (error instanceof PipelineRunFailedError) printJson(error.run);
  }
  const detail =
    error instanceof GantryApiError
      ? `${error.code}: ${error.message}`
      : error instanceof Error
        ? error.message
        : String(error);
  process.stderr.write(`gantry: ${detail}\n`);
  if (error instanceof UsageError) process.stderr.write('run `gantry --help` for usage\n');
  process.exitCode = code;
}
