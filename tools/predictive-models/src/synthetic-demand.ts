/**
 * Daily retail demand with known structure, written after the forecast model was frozen and unlike the
 * engine's tests (additive sine + Gaussian noise): every effect multiplies, noise is count data, and the
 * drivers act in ways the regression only approximates.
 *
 * mean(t) = level · weekday profile · yearly wave · exp(random-walk drift) · promotion lift (price
 *           elasticity, then a pull-forward dip) · holiday factor (per holiday name) · pre-Christmas ramp
 * value(t) ~ negative binomial(mean, shape k): Poisson of a Gamma-mixed mean.
 * Stock-outs in the history read 0 and are flagged `available: false`; the caller knows the promotion
 * plan (flag and price) for the forecast days, and the country.
 */
import Holidays from 'date-holidays';
import { seededRandom } from './seeded-random.js';

const dayMs = 86_400_000;
const countries = ['US', 'DE', 'GB', 'FR'] as const;

export interface DemandPoint {
  timestamp: string;
  value: number;
  covariates: { promotion: number; price: number };
  available?: false;
}

export interface DemandSeries {
  id: string;
  country: string;
  history: DemandPoint[];
  future: DemandPoint[];
  /** The process's expected value on each future day: what a perfect model would forecast. */
  futureMean: number[];
}

export function syntheticDemand(
  seed: number,
  options: { historyDays?: number; horizon?: number; firstFutureDay?: string } = {},
): DemandSeries {
  const { historyDays = 730, horizon = 28, firstFutureDay = '2025-12-10' } = options;
  const random = seededRandom(seed);
  const uniform = (low: number, high: number) => low + (high - low) * random();
  const normal = () => Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
  const country = countries[Math.floor(random() * countries.length)] ?? 'US';
  const level = Math.exp(uniform(Math.log(5), Math.log(300)));
  const weekday = Array.from({ length: 7 }, () => Math.exp(0.25 * normal()));
  const weekdayMean = weekday.reduce((a, b) => a + b, 0) / 7;
  const yearly = { amplitude: uniform(0, 0.25), phase: uniform(0, 365.25) };
  const elasticity = uniform(1.5, 4);
  const basePrice = Math.round(uniform(2, 50) * 100) / 100;
  const shape = uniform(5, 30);
  const christmasRamp = uniform(0, 0.5);
  const holidayFactors = new Map<string, number>();
  const calendar = new Holidays(country);
  const days = historyDays + horizon;
  const first = Date.parse(firstFutureDay) - historyDays * dayMs;
  const holidayOn = new Map<string, { name: string; type: string }>();
  for (
    let year = new Date(first).getUTCFullYear();
    year <= new Date(first + days * dayMs).getUTCFullYear();
    year++
  ) {
    for (const holiday of calendar.getHolidays(year)) holidayOn.set(holiday.date.slice(0, 10), holiday);
  }
  let drift = 0;
  let campaign = { left: 0, discount: 0 };
  let dip = { left: 0, depth: 0 };
  const points: DemandPoint[] = [];
  const means: number[] = [];
  let stockOut = 0;
  for (let t = 0; t < days; t++) {
    const time = first + t * dayMs;
    const date = new Date(time);
    const timestamp = date.toISOString().slice(0, 10);
    drift += 0.01 * normal();
    if (campaign.left === 0 && random() < 1 / 30) {
      campaign = { left: 3 + Math.floor(random() * 8), discount: uniform(0.1, 0.4) };
    }
    const promoted = campaign.left > 0;
    const price = promoted ? Math.round(basePrice * (1 - campaign.discount) * 100) / 100 : basePrice;
    let factor = promoted ? (price / basePrice) ** -elasticity : 1;
    if (promoted) {
      campaign.left -= 1;
      if (campaign.left === 0) dip = { left: 3, depth: 0.3 * campaign.discount };
    } else if (dip.left > 0) {
      factor *= 1 - dip.depth;
      dip.left -= 1;
    }
    const holiday = holidayOn.get(timestamp);
    if (holiday) {
      const key = holiday.name;
      const spread = holiday.type === 'public' || holiday.type === 'bank' ? 0.5 : 0.15;
      const centre = holiday.type === 'public' || holiday.type === 'bank' ? -0.5 : 0;
      if (!holidayFactors.has(key)) holidayFactors.set(key, Math.exp(centre + spread * normal()));
      factor *= holidayFactors.get(key) ?? 1;
    }
    const month = date.getUTCMonth();
    const dayOfMonth = date.getUTCDate();
    if (month === 11 && dayOfMonth >= 11 && dayOfMonth <= 24)
      factor *= 1 + christmasRamp * ((dayOfMonth - 10) / 14);
    const dayOfYear = (time - Date.UTC(date.getUTCFullYear(), 0, 1)) / dayMs;
    const mean =
      level *
      ((weekday[date.getUTCDay()] ?? 1) / weekdayMean) *
      (1 + yearly.amplitude * Math.cos((2 * Math.PI * (dayOfYear - yearly.phase)) / 365.25)) *
      Math.exp(drift) *
      factor;
    const covariates = { promotion: promoted ? 1 : 0, price };
    if (t < historyDays && stockOut === 0 && random() < 1 / 120) stockOut = 1 + Math.floor(random() * 4);
    if (stockOut > 0 && t < historyDays) {
      stockOut -= 1;
      points.push({ timestamp, value: 0, covariates, available: false });
    } else {
      points.push({
        timestamp,
        value: poisson((mean * gamma(shape, random, normal)) / shape, random, normal),
        covariates,
      });
    }
    means.push(mean);
  }
  return {
    id: `sku-${seed}`,
    country,
    history: points.slice(0, historyDays),
    future: points.slice(historyDays),
    futureMean: means.slice(historyDays),
  };
}

/** Gamma(shape, 1) by Marsaglia & Tsang (2000); shape ≥ 1 here. */
function gamma(shape: number, random: () => number, normal: () => number): number {
  const d = shape - 1 / 3;
  const c = 1 / Math.sqrt(9 * d);
  for (;;) {
    const x = normal();
    const v = (1 + c * x) ** 3;
    if (v > 0 && Math.log(1 - random()) < 0.5 * x * x + d - d * v + d * Math.log(v)) return d * v;
  }
}

/** Poisson by Knuth's product method for small means, a rounded normal for large ones. */
function poisson(mean: number, random: () => number, normal: () => number): number {
  if (mean > 50) return Math.max(0, Math.round(mean + Math.sqrt(mean) * normal()));
  const limit = Math.exp(-mean);
  let k = 0;
  for (let p = random(); p > limit; p *= random()) k += 1;
  return k;
}
