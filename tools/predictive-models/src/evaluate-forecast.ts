/**
 * `npx nx run @gantry/predictive-models:evaluate-forecast [-- --series 30]`: forecasts the last 28 days
 * (10 Dec – 6 Jan, over the year-end holidays) of synthetic retail series (synthetic-demand.ts) from two
 * years of history, with drivers (promotion flag and price, the country's holidays, stock-outs flagged)
 * and without (the same engine, the same stock-out flags), and prints the mean MASE of each against
 * seasonal naive and the process's own mean (the noise floor). Target: ≥ 20 % below seasonal naive.
 */
import { parseArgs } from 'node:util';
import { performance } from 'node:perf_hooks';
import { createForecastEngine } from '@gantry/predictive-worker/model-engines';
import { type DemandPoint, syntheticDemand } from './synthetic-demand.js';

const { values: args } = parseArgs({ options: { series: { type: 'string', default: '30' } } });
const count = Number(args.series);
const horizon = 28;
const engine = await createForecastEngine();

/** In-sample seasonal naive (lag 7) mean absolute error over pairs of available days: the MASE scale. */
function maseScale(history: readonly DemandPoint[]): number {
  let sum = 0;
  let pairs = 0;
  history.forEach((point, t) => {
    const before = history[t - 7];
    if (t < 7 || !before || point.available === false || before.available === false) return;
    sum += Math.abs(point.value - before.value);
    pairs += 1;
  });
  return sum / pairs;
}
const mase = (forecast: readonly number[], actual: readonly number[], scale: number) =>
  forecast.reduce((sum, value, i) => sum + Math.abs(value - (actual[i] ?? 0)), 0) / forecast.length / scale;

const totals = { drivers: 0, noDrivers: 0, naive: 0, floor: 0, covered: 0, backtest: 0, backtestNoDriver: 0 };
const methods = new Map<string, number>();
let driverSeconds = 0;
let wins = 0;
for (let k = 0; k < count; k++) {
  const demand = syntheticDemand(2026 + k);
  const actual = demand.future.map((point) => point.value);
  const scale = maseScale(demand.history);
  const base = { horizon, frequency: 'daily', seasonLength: 7, interval: 0.8 } as const;
  const started = performance.now();
  const withDrivers = await engine.forecast({
    ...base,
    series: demand.history,
    futureCovariates: demand.future.map(({ timestamp, covariates }) => ({ timestamp, covariates })),
    holidays: { country: demand.country },
  });
  driverSeconds += (performance.now() - started) / 1000;
  const without = await engine.forecast({
    ...base,
    series: demand.history.map(({ timestamp, value, available }) => ({ timestamp, value, available })),
  });
  const scores = {
    drivers: mase(
      withDrivers.forecast.map((point) => point.value),
      actual,
      scale,
    ),
    noDrivers: mase(
      without.forecast.map((point) => point.value),
      actual,
      scale,
    ),
    naive: mase(
      without.baseline.forecast.map((point) => point.value),
      actual,
      scale,
    ),
    floor: mase(demand.futureMean, actual, scale),
  };
  totals.drivers += scores.drivers;
  totals.noDrivers += scores.noDrivers;
  totals.naive += scores.naive;
  totals.floor += scores.floor;
  totals.backtest += withDrivers.backtest.mase ?? 0;
  totals.backtestNoDriver += withDrivers.backtest.no_driver_mase ?? 0;
  totals.covered +=
    withDrivers.forecast.filter(
      (point, i) => point.lower <= (actual[i] ?? 0) && (actual[i] ?? 0) <= point.upper,
    ).length / horizon;
  if (scores.drivers < scores.noDrivers) wins += 1;
  methods.set(withDrivers.method, (methods.get(withDrivers.method) ?? 0) + 1);
}

const mean = (sum: number) => (sum / count).toFixed(3);
const below = (a: number, b: number) => `${(100 * (1 - a / b)).toFixed(1)} %`;
const rows: [string, string, string][] = [
  ['mean MASE with drivers (holdout)', mean(totals.drivers), '≥ 20 % below seasonal naive'],
  ['mean MASE without drivers (same engine)', mean(totals.noDrivers), ''],
  ['mean MASE seasonal naive', mean(totals.naive), ''],
  ["mean MASE of the process's own mean (noise floor)", mean(totals.floor), ''],
  ['with drivers below seasonal naive', below(totals.drivers, totals.naive), '≥ 20 %'],
  ['with drivers below without drivers', below(totals.drivers, totals.noDrivers), ''],
  ['series where drivers beat no drivers', `${wins} / ${count}`, ''],
  [
    'mean nested backtest MASE, with / without drivers',
    `${mean(totals.backtest)} / ${mean(totals.backtestNoDriver)}`,
    '',
  ],
  ['80 % interval coverage with drivers', `${((100 * totals.covered) / count).toFixed(1)} %`, '≈ 80 %'],
  ['methods chosen with drivers', [...methods].map(([m, n]) => `${m} ${n}`).join(', '), ''],
  ['series/s with drivers (one thread)', (count / driverSeconds).toFixed(2), ''],
];
console.log(`| forecast, ${count} series × 2 years daily, 28 days held out from 10 Dec | value | target |`);
console.log('| --- | --- | --- |');
for (const row of rows) console.log(`| ${row.join(' | ')} |`);
