import { randomUUID } from 'node:crypto';
import { GantryError, toEmailTarget, toWebhookTarget } from '@gantry/contracts';
import { type Request, type Response, type IRouter } from 'express';
import { requireScope, tenantOf } from '../http/authenticate.js';
import { jsonBody } from '../http/json-body.js';
import { checkNotify, type NotifyChecks } from '../notifications/check-notify.js';
import { resolveTarget, type ScheduledJobDeps } from '../schedules/run-scheduled-job.js';
import { CreateScheduleRequest } from '../schedules/schedule-request.js';
import type { Schedule, ScheduleStore } from '../schedules/schedule-store.js';
import type { Scheduler } from '../schedules/scheduler.js';

export interface ScheduleRouteDeps
  extends Pick<ScheduledJobDeps, 'catalogue' | 'refreshCatalogue' | 'blobs' | 'checkInput'> {
  store: ScheduleStore;
  scheduler: Scheduler;
  notify: NotifyChecks;
  jsonBytes: number;
}

const scheduleNotFound = (id: string) => new GantryError('SCHEDULE_NOT_FOUND', `no schedule ${id}`);

/**
 * Schedules of the caller's tenant (`jobs` scope): create, list, get, pause, resume, delete. The row is
 * PostgreSQL's; the timing is a BullMQ job scheduler of the same id, armed while the schedule is active.
 */
export function scheduleRoutes(router: IRouter, deps: ScheduleRouteDeps): void {
  const json = jsonBody(deps.jsonBytes);
  const answer = async (schedule: Schedule) => {
    const { tenant: _tenant, every_s, ...rest } = schedule;
    const base = `/v1/schedules/${schedule.id}`;
    return {
      ...rest,
      every: every_s,
      next_run_at: schedule.paused ? null : await deps.scheduler.nextRunAt(schedule.id),
      urls: { get: base, pause: `${base}/pause`, resume: `${base}/resume` },
    };
  };
  const owned = async (req: Request): Promise<Schedule> => {
    const id = String(req.params['id']);
    const schedule = await deps.store.get(id, tenantOf(req));
    if (!schedule) throw scheduleNotFound(id);
    return schedule;
  };

  router.post('/v1/schedules', requireScope('jobs'), json, async (req: Request, res: Response) => {
    const parsed = CreateScheduleRequest.safeParse(req.body);
    if (!parsed.success) {
      throw new GantryError('VALIDATION_FAILED', 'bad schedule', {
        details: {
          issues: parsed.error.issues.map((i) => ({ path: i.path, message: i.message, code: i.code })),
        },
      });
    }
    const body = parsed.data;
    const tenant = tenantOf(req);
    const { target } = await resolveTarget(body.target, tenant, deps);
    await checkNotify(
      {
        webhook: target.webhook && toWebhookTarget(target.webhook),
        email: target.email && toEmailTarget(target.email),
      },
      tenant,
      deps.notify,
      ['target'],
    );
    const schedule = await deps.store.create({
      id: `sch_${randomUUID()}`,
      tenant,
      name: body.name ?? null,
      cron: body.cron ?? null,
      every_s: body.every ?? null,
      timezone: body.timezone,
      misfire: body.misfire,
      // Blobs named by id are stored as their full reference: what a tick's job will be given.
      target,
    });
    try {
      await deps.scheduler.arm(schedule);
    } catch (error) {
      await deps.store.delete(schedule.id, tenant).catch(() => undefined);
      throw error;
    }
    res.setHeader('Location', `/v1/schedules/${schedule.id}`);
    res.status(201).json(await answer(schedule));
  });

  router.get('/v1/schedules', requireScope('jobs'), async (req: Request, res: Response) => {
    const schedules = await deps.store.list(tenantOf(req));
    res.json({ data: await Promise.all(schedules.map(answer)) });
  });

  router.get('/v1/schedules/:id', requireScope('jobs'), async (req: Request, res: Response) => {
    res.json(await answer(await owned(req)));
  });

  router.post('/v1/schedules/:id/pause', requireScope('jobs'), async (req: Request, res: Response) => {
    const schedule = await owned(req);
    await deps.scheduler.disarm(schedule.id);
    const paused = await deps.store.setPaused(schedule.id, schedule.tenant, true);
    if (!paused) throw scheduleNotFound(schedule.id);
    res.json(await answer(paused));
  });

  router.post('/v1/schedules/:id/resume', requireScope('jobs'), async (req: Request, res: Response) => {
    const schedule = await owned(req);
    const resumed = await deps.store.setPaused(schedule.id, schedule.tenant, false);
    if (!resumed) throw scheduleNotFound(schedule.id);
    await deps.scheduler.arm(resumed);
    res.json(await answer(resumed));
  });

  router.delete('/v1/schedules/:id', requireScope('jobs'), async (req: Request, res: Response) => {
    const schedule = await owned(req);
    await deps.scheduler.disarm(schedule.id);
    await deps.store.delete(schedule.id, schedule.tenant);
    res.status(204).end();
  });
}
