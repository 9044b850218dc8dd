import { GantryError, type PredictiveTrainRecommenderInput } from '@gantry/contracts';
import { cellTime } from '../dataset/cell-time.js';
import type { Dataset, MalformedRow } from '../dataset/read-dataset.js';

/** Each user's items with their summed weights, latest interaction last. */
export interface InteractionLog {
  histories: Map<string, Map<string, number>>;
  interactions: number;
  malformed: MalformedRow[];
}

type LogRequest = Pick<
  PredictiveTrainRecommenderInput,
  'user_column' | 'item_column' | 'weight_column' | 'time_column'
>;

/** Reads user, item, weight and time from each row; a row with a bad cell is malformed, named by its line. */
export function buildInteractionLog(dataset: Dataset, request: LogRequest): InteractionLog {
  const first = dataset.rows[0];
  if (!first) {
    throw new GantryError('DATASET_INVALID', 'the file has no readable rows', {
      details: { malformed: dataset.malformed.slice(0, 100) },
    });
  }
  const present = Object.keys(first.values);
  const wanted = [
    request.user_column,
    request.item_column,
    request.weight_column,
    request.time_column,
  ].filter((name) => name !== undefined);
  const missing = wanted.filter((name) => !present.includes(name));
  if (missing.length > 0) {
    throw new GantryError('DATASET_INVALID', `the file has no column(s) ${missing.join(', ')}`, {
      details: { missing, columns: present },
    });
  }
  const malformed = [...dataset.malformed];
  const events: { user: string; item: string; weight: number; time: number }[] = [];
  dataset.rows.forEach(({ line, values }, index) => {
    const problems: string[] = [];
    const id = (column: string) => {
      const raw = values[column];
      if ((typeof raw !== 'string' && typeof raw !== 'number') || String(raw).trim() === '') {
        problems.push(`${column} must be a non-empty id, got ${JSON.stringify(raw ?? null)}`);
      }
      return String(raw).trim();
    };
    const user = id(request.user_column);
    const item = id(request.item_column);
    let weight = 1;
    if (request.weight_column) {
      const raw = values[request.weight_column];
      weight = typeof raw === 'number' ? raw : Number(raw);
      if (!Number.isFinite(weight) || weight <= 0) {
        problems.push(
          `${request.weight_column} must be a positive number, got ${JSON.stringify(raw ?? null)}`,
        );
      }
    }
    let time = index;
    if (request.time_column) {
      const raw = values[request.time_column];
      time = cellTime(raw);
      if (!Number.isFinite(time)) {
        problems.push(
          `${request.time_column} must be a date-time or a number, got ${JSON.stringify(raw ?? null)}`,
        );
      }
    }
    if (problems.length > 0) malformed.push({ line, reason: problems.join('; ') });
    else events.push({ user, item, weight, time });
  });
  events.sort((a, b) => a.time - b.time);
  const histories = new Map<string, Map<string, number>>();
  for (const { user, item, weight } of events) {
    const history = histories.get(user) ?? new Map<string, number>();
    // Re-inserting moves the item to the end: the map's order is the order of latest interaction.
    const total = (history.get(item) ?? 0) + weight;
    history.delete(item);
    history.set(item, total);
    histories.set(user, history);
  }
  return { histories, interactions: events.length, malformed };
}
