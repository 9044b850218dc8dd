import type { GantryClient, Job, ListQuery } from '@gantry/client';
import type { JobStatus } from '@gantry/contracts';
import type { Argv } from 'yargs';
import { printJson, printTable } from '../print.js';

const jobRow = (job: Job) => [
  job.id,
  job.type,
  job.status,
  `${Math.round(job.progress.pct)}%`,
  job.created_at,
];

/** `gantry jobs list|get|cancel|events`. */
export function jobsCommand(cli: Argv, client: () => Promise<GantryClient>, signal: AbortSignal): Argv {
  return cli.command('jobs', 'List, read, cancel and follow jobs', (jobs) =>
    jobs
      .command(
        'list',
        'List jobs, newest first',
        (y) =>
          y
            .option('type', { type: 'string', describe: 'Only this job type' })
            .option('status', { type: 'string', describe: 'Only these statuses, comma separated' })
            .option('limit', { type: 'number', default: 20, describe: 'Jobs per page (1–100)' })
            .option('cursor', { type: 'string', describe: 'Start at this page (next_cursor)' })
            .option('all', { type: 'boolean', default: false, describe: 'Every page, not just the first' })
            .option('json', { type: 'boolean', default: false }),
        async (args) => {
          const query: ListQuery = {
            limit: args.limit,
            ...(args.type ? { type: args.type } : {}),
            ...(args.status ? { status: args.status.split(',') as JobStatus[] } : {}),
            ...(args.cursor ? { cursor: args.cursor } : {}),
          };
          const found: Job[] = [];
          let next: string | null = null;
          for await (const page of (await client()).list(query)) {
            found.push(...page.data);
            next = page.next_cursor;
            if (!args.all) break;
          }
          if (args.json) return printJson({ data: found, next_cursor: next });
          printTable(['ID', 'TYPE', 'STATUS', 'PROGRESS', 'CREATED'], found.map(jobRow));
          if (next) process.stderr.write(`more: gantry jobs list --cursor ${next}\n`);
        },
      )
      .command(
        'get <id>',
        'Print a job as JSON',
        (y) => y.positional('id', { type: 'string', demandOption: true }),
        async (args) => printJson(await (await client()).get(args.id, signal)),
      )
      .command(
        'cancel <id>',
        'Cancel a job',
        (y) =>
          y
            .positional('id', { type: 'string', demandOption: true })
            .option('json', { type: 'boolean', default: false }),
        async (args) => {
          const job = await (await client()).cancel(args.id);
          if (args.json) printJson(job);
          else process.stdout.write(`${job.id} ${job.status}\n`);
        },
      )
      .command(
        'events <id>',
        'Follow a job live until it ends (resumes by itself if the connection drops)',
        (y) =>
          y
            .positional('id', { type: 'string', demandOption: true })
            .option('json', { type: 'boolean', default: false, describe: 'One JSON object per line' }),
        async (args) => {
          for await (const event of (await client()).events(args.id, { signal })) {
            process.stdout.write(
              args.json ? `${JSON.stringify(event)}\n` : `${event.event} ${JSON.stringify(event.data)}\n`,
            );
          }
        },
      )
      .demandCommand(1, 'name a jobs command: list, get, cancel or events'),
  );
}
