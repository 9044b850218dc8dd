import type { GantryClient } from '@gantry/client';
import type { Argv } from 'yargs';
import { printJson, printTable } from '../print.js';

/** `gantry types`, `gantry workers`, `gantry queues pause|resume`. */
export function platformCommands(cli: Argv, client: () => Promise<GantryClient>): Argv {
  return cli
    .command(
      'types',
      'The job types the gateway accepts now',
      (y) => y.option('json', { type: 'boolean', default: false, describe: 'With their JSON schemas' }),
      async (args) => {
        const types = await (await client()).types();
        if (args.json) return printJson(types);
        printTable(
          ['TYPE', 'QUEUE', 'SOURCE', 'SUMMARY'],
          types.map((t) => [t.type, t.queue, t.source, t.summary]),
        );
      },
    )
    .command(
      'workers',
      'Live workers',
      (y) =>
        y
          .option('queue', { type: 'string', describe: 'Only this queue' })
          .option('json', { type: 'boolean', default: false }),
      async (args) => {
        const workers = await (await client()).workers(args.queue);
        if (args.json) return printJson(workers);
        printTable(
          ['ID', 'QUEUE', 'STATE', 'BUSY', 'VERSION'],
          workers.map((w) => [w.id, w.queue, w.state, `${w.busy}/${w.concurrency}`, w.version]),
        );
      },
    )
    .command('queues', 'Pause and resume queues (a platform key)', (queues) =>
      queues
        .command(
          'pause <queue>',
          'No worker starts a job of the queue until it is resumed',
          (y) => y.positional('queue', { type: 'string', demandOption: true }),
          async (args) => {
            await (await client()).pauseQueue(args.queue);
            process.stdout.write(`${args.queue} paused\n`);
          },
        )
        .command(
          'resume <queue>',
          'Resume a paused queue',
          (y) => y.positional('queue', { type: 'string', demandOption: true }),
          async (args) => {
            await (await client()).resumeQueue(args.queue);
            process.stdout.write(`${args.queue} resumed\n`);
          },
        )
        .demandCommand(1, 'name a queues command: pause or resume'),
    );
}
