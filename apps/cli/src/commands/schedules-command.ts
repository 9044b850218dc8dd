import type { GantryClient, Schedule } from '@gantry/client';
import type { Argv } from 'yargs';
import { printJson, printTable } from '../print.js';

const targetOf = (schedule: Schedule) =>
  'type' in schedule.target
    ? schedule.target.type
    : typeof schedule.target.pipeline === 'string'
      ? `pipeline ${schedule.target.pipeline}`
      : 'pipeline (ad hoc)';

const whenOf = (schedule: Schedule) =>
  schedule.cron === null ? `every ${schedule.every}s` : `${schedule.cron} ${schedule.timezone}`;

/** `gantry schedules list|pause|resume|delete`: the tenant's schedules (created over the API or the SDK). */
export function schedulesCommand(cli: Argv, client: () => Promise<GantryClient>): Argv {
  const id = (y: Argv) => y.positional('id', { type: 'string', demandOption: true });
  const print = (schedule: Schedule, json: boolean) =>
    json
      ? printJson(schedule)
      : process.stdout.write(`${schedule.id} ${schedule.paused ? 'paused' : 'active'}\n`);
  return cli.command('schedules', "List, pause, resume and delete the tenant's schedules", (schedules) =>
    schedules
      .option('json', { type: 'boolean', default: false, describe: 'The API’s objects' })
      .command('list', 'Every schedule, with its next run', {}, async (args) => {
        const list = await (await client()).listSchedules();
        if (args['json'] === true) return printJson(list);
        printTable(
          ['ID', 'NAME', 'WHEN', 'TARGET', 'STATE', 'NEXT RUN'],
          list.map((s) => [
            s.id,
            s.name ?? '',
            whenOf(s),
            targetOf(s),
            s.paused ? 'paused' : 'active',
            s.next_run_at ?? '',
          ]),
        );
      })
      .command('pause <id>', 'No tick runs until it is resumed', id, async (args) => {
        print(await (await client()).pauseSchedule(String(args['id'])), args['json'] === true);
      })
      .command('resume <id>', 'Run again from its next tick', id, async (args) => {
        print(await (await client()).resumeSchedule(String(args['id'])), args['json'] === true);
      })
      .command('delete <id>', 'No tick runs after this', id, async (args) => {
        await (await client()).deleteSchedule(String(args['id']));
        process.stdout.write(`${String(args['id'])} deleted\n`);
      })
      .demandCommand(1, 'name a schedules command: list, pause, resume or delete'),
  );
}
