import type { BenchRun } from '../bench-run.js';
import { closedLoop } from '../closed-loop.js';
import { GantryStack } from '../gantry-stack.js';
import { type JobRun, runJob } from '../job-client.js';
import { markdownTable, num, percent, type Section } from '../report-format.js';
import { syntheticDailySeries } from '../synthetic-series.js';

/** Two years of daily points: the weekly and yearly seasons the engine's candidates look for. */
const days = 730;
const horizon = 28;

/** Series forecast by one job; a job that did not succeed ends the scenario, saying why. */
const forecastsOf = (result: JobRun): number => {
  if (!result.ok) throw new Error(`a forecast job did not succeed: ${JSON.stringify(result.error)}`);
  const output = result.job?.output as { results?: unknown[]; forecast?: unknown[] } | null;
  return output?.results?.length ?? (output?.forecast ? 1 : 0);
};

/**
 * Scenario 14: one predictive engine process (worker concurrency 1). The same generated daily series
 * (a seed each) as one `predictive.forecast` job per series, one after another, then as one
 * `predictive.forecast-batch` job, uploaded as a CSV (60 two-year series are 2.4 MB as JSON items, past the
 * gateway's 1 MB JSON limit): series/s each way, and what the batch saves per series (job round trips,
 * queue hops, the input stored once).
 */
export async function forecastBatchScenario(run: BenchRun): Promise<Section> {
  const title = '14. Forecast series/s: one predictive.forecast-batch job vs a job per series';
  const module = run.appWorkerModule('predictive');
  if (!module)
    return { title, lines: ['Skipped: apps/predictive has no built worker module (run the build first).'] };
  const count = run.scale(60, 8);
  const series = Array.from({ length: count }, (_, i) => syntheticDailySeries(days, 1_000 + i));

  const stack = await GantryStack.start(run, 'forecast', [{ app: 'predictive', module, concurrency: 1 }]);
  const forecast = (i: number) =>
    runJob(stack, 'predictive.forecast', { input: { series: series[i % count], horizon } });
  let single: { series: number; wallS: number };
  let batch: { series: number; wallS: number };
  try {
    // Warm: the engine process loads augurs and the holiday tables once.
    await forecast(0);
    const singles = await closedLoop({ concurrency: 1, count }, forecast);
    single = {
      series: singles.results.reduce((sum, result) => sum + forecastsOf(result), 0),
      wallS: singles.wallMs / 1_000,
    };
    const rows = series.flatMap((points, i) =>
      points.map((point) => `sku-${i},${point.timestamp},${point.value}`),
    );
    const file = { bytes: Buffer.from(['id,timestamp,value', ...rows].join('\n')), filename: 'series.csv' };
    const started = performance.now();
    const result = await runJob(stack, 'predictive.forecast-batch', { input: { horizon }, file }, 300);
    batch = { series: forecastsOf(result), wallS: (performance.now() - started) / 1_000 };
  } finally {
    await stack.close();
  }

  const perSecond = (m: { series: number; wallS: number }) => (m.wallS > 0 ? m.series / m.wallS : 0);
  const ratio = perSecond(single) > 0 ? perSecond(batch) / perSecond(single) : Number.NaN;
  return {
    title,
    lines: [
      ...markdownTable(
        ['jobs', 'series forecast', 'wall s', 'series/s', 'vs a job per series'],
        [
          [
            `${count} predictive.forecast jobs, one after another`,
            String(single.series),
            num(single.wallS),
            num(perSecond(single)),
            '100 %',
          ],
          [
            `one predictive.forecast-batch job of ${count} items`,
            String(batch.series),
            num(batch.wallS),
            num(perSecond(batch)),
            percent(ratio),
          ],
        ],
      ),
      '',
      `Series: ${days} daily points each (trend, weekly and yearly seasons, noise; seeds 1000–${999 + count}), ` +
        `horizon ${horizon}; each runs a 5-origin backtest of every candidate and a refit. One engine process. ` +
        'The batch is uploaded as one CSV (a row per point); its time includes the upload and reading the file.',
    ],
  };
}
