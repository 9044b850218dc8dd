import { type DriverColumns, driverColumns } from './driver-columns.js';
import { holidayEvents } from './holiday-calendar.js';

const dayMs = 86_400_000;

export interface DriverRequest {
  series: readonly { timestamp: string; covariates?: Readonly<Record<string, number>> | undefined }[];
  futureCovariates?: readonly { covariates: Readonly<Record<string, number>> }[] | undefined;
  events?: readonly { date: string; name: string }[] | undefined;
  holidays?: { country: string } | undefined;
  horizon: number;
  frequency: 'daily' | 'weekly';
}

/**
 * The regression columns a request's drivers give, over its history and horizon rows, or null when it
 * names none. A row's days start at its timestamp's own calendar date (the local date, before any offset),
 * so a local-midnight series meets its holidays on the right day.
 */
export function requestDrivers(request: DriverRequest): DriverColumns | null {
  const { series, horizon } = request;
  const daysPerRow = request.frequency === 'daily' ? 1 : 7;
  const history = series.map((point) => Math.round(Date.parse(point.timestamp.slice(0, 10)) / dayMs));
  const last = history.at(-1) ?? 0;
  const rowDays = [...history, ...Array.from({ length: horizon }, (_, h) => last + (h + 1) * daysPerRow)];
  const firstYear = new Date((rowDays[0] ?? 0) * dayMs).getUTCFullYear();
  const lastYear = new Date(((rowDays.at(-1) ?? 0) + daysPerRow) * dayMs).getUTCFullYear();
  const hasCovariates = series.some((point) => Object.keys(point.covariates ?? {}).length > 0);
  const columns = driverColumns(rowDays, daysPerRow, series.length, {
    covariates: hasCovariates
      ? [
          ...series.map((point) => point.covariates),
          ...(request.futureCovariates ?? []).map((step) => step.covariates),
        ]
      : [],
    events: request.events ?? [],
    holidays: request.holidays ? holidayEvents(request.holidays.country, firstYear, lastYear) : [],
  });
  return columns.names.length > 0 ? columns : null;
}
