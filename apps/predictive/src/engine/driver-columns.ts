const dayMs = 86_400_000;

export interface DriverSpec {
  /** Covariates of each row, history then horizon; the same names on every row, or none at all. */
  covariates: readonly (Readonly<Record<string, number>> | undefined)[];
  /** Dated events and holidays, kept apart: each kind has its own shared effect. */
  events: readonly { date: string; name: string }[];
  holidays: readonly { date: string; name: string }[];
}

export interface DriverColumns {
  names: string[];
  /** One value per row (history then horizon) per column. */
  columns: Float64Array[];
  /**
   * True for a named event's column: a name has too few occurrences in a couple of years to estimate
   * alone, so its coefficient is shrunk toward 0, toward the effect shared by every event of its kind.
   */
  shrunk: boolean[];
}

/**
 * The regression's driver columns: each covariate as given, and for events and holidays a column that
 * counts their days in each row's span (one day, or seven for a weekly row) plus a column per name
 * seen in the history. `rowDays[i]` is the UTC day number of row i's local date.
 */
export function driverColumns(
  rowDays: readonly number[],
  daysPerRow: number,
  historyRows: number,
  spec: DriverSpec,
): DriverColumns {
  const names: string[] = [];
  const columns: Float64Array[] = [];
  const shrunk: boolean[] = [];
  const rows = rowDays.length;
  for (const name of Object.keys(spec.covariates[0] ?? {}).sort()) {
    names.push(name);
    columns.push(Float64Array.from(spec.covariates, (values) => values?.[name] ?? 0));
    shrunk.push(false);
  }
  for (const [kind, dated] of [
    ['event', spec.events],
    ['holiday', spec.holidays],
  ] as const) {
    const daysByName = new Map<string, Set<number>>();
    for (const { date, name } of dated) {
      const day = Math.round(Date.parse(date) / dayMs);
      daysByName.set(name, (daysByName.get(name) ?? new Set()).add(day));
    }
    const any = new Float64Array(rows);
    const named: [string, Float64Array][] = [];
    for (const [name, days] of daysByName) {
      const column = Float64Array.from(rowDays, (first) => countDays(days, first, daysPerRow));
      column.forEach((count, i) => (any[i] = (any[i] ?? 0) + count));
      if (column.subarray(0, historyRows).some((count) => count > 0)) named.push([`${kind}:${name}`, column]);
    }
    if (!any.subarray(0, historyRows).some((count) => count > 0)) continue;
    names.push(kind);
    columns.push(any);
    shrunk.push(false);
    for (const [name, column] of named) {
      names.push(name);
      columns.push(column);
      shrunk.push(true);
    }
  }
  return { names, columns, shrunk };
}

function countDays(days: ReadonlySet<number>, first: number, span: number): number {
  let count = 0;
  for (let day = first; day < first + span; day++) if (days.has(day)) count += 1;
  return count;
}
