import { CreateScheduleRequest as ScheduleRequestContract } from '@gantry/contracts';
import { CronExpressionParser } from 'cron-parser';

/**
 * `POST /v1/schedules` as the gateway checks it: the contract (libs/contracts), and its `cron` parsed in
 * its time zone, which needs cron-parser (a dependency the browser-safe contracts package does not take).
 */
export const CreateScheduleRequest = ScheduleRequestContract.superRefine((body, ctx) => {
  if (body.cron === undefined) return;
  try {
    CronExpressionParser.parse(body.cron, { tz: body.timezone });
  } catch (error) {
    ctx.addIssue({ code: 'custom', path: ['cron'], message: (error as Error).message });
  }
});
