import { describe, expect, it } from 'vitest';
import {
  forecastLimits,
  PredictiveForecast,
  PredictiveForecastInput,
  resolveForecastSeasonality,
} from './predictive-forecast.js';

const dayMs = 86_400_000;

function series(length: number, stepMs = dayMs, start = '2024-01-01T00:00:00Z') {
  return Array.from({ length }, (_, i) => ({
    timestamp: new Date(Date.parse(start) + i * stepMs).toISOString(),
    value: 100 + (i % 7),
  }));
}

/** The issues the gateway would answer 422 with, as [path, message] pairs. */
function issues(input: unknown): [(string | number)[], string][] {
  const result = PredictiveForecastInput.safeParse(input);
  if (result.success) return [];
  return result.error.issues.map((issue) => [issue.path.map((key) => key as string | number), issue.message]);
}

const onlyPath = (input: unknown) => issues(input).map(([path]) => path);

describe('PredictiveForecast contract', () => {
  it('is a predictive job with the validated input and output', () => {
    expect(PredictiveForecast.type).toBe('predictive.forecast');
    expect(PredictiveForecast.queue).toBe('predictive');
    expect(PredictiveForecast.input).toBe(PredictiveForecastInput);
  });

  it('accepts two seasons of daily points and fills the interval default', () => {
    const parsed = PredictiveForecastInput.parse({ series: series(14), horizon: 7 });
    expect(parsed.interval).toBe(0.8);
    expect(parsed.frequency).toBeUndefined();
  });

  it('accepts local-midnight timestamps that shift by an hour across daylight saving time', () => {
    const points = series(28).map((point, i) => ({
      ...point,
      timestamp: point.timestamp.replace('Z', i < 14 ? '+01:00' : '+02:00'),
    }));
    expect(issues({ series: points, horizon: 7 })).toEqual([]);
  });

  it('accepts RFC 3339 dates and refuses dates that are not on the calendar', () => {
    const dates = series(28).map((point) => ({ ...point, timestamp: point.timestamp.slice(0, 10) }));
    expect(issues({ series: dates, horizon: 7 })).toEqual([]);
    expect(resolveForecastSeasonality({ series: dates })).toEqual({ frequency: 'daily', seasonLength: 7 });
    const bad = dates.map((point, i) => (i === 3 ? { ...point, timestamp: '2024-02-30' } : point));
    expect(onlyPath({ series: bad, horizon: 7 })).toEqual([['series', 3, 'timestamp']]);
  });

  it('infers the frequency and the season length from the spacing', () => {
    expect(resolveForecastSeasonality({ series: series(30) })).toEqual({
      frequency: 'daily',
      seasonLength: 7,
    });
    expect(resolveForecastSeasonality({ series: series(30, 7 * dayMs) })).toEqual({
      frequency: 'weekly',
      seasonLength: 52,
    });
    expect(resolveForecastSeasonality({ series: series(1) })).toEqual({
      frequency: 'daily',
      seasonLength: 7,
    });
    expect(resolveForecastSeasonality({ series: series(30), frequency: 'weekly', season_length: 4 })).toEqual(
      {
        frequency: 'weekly',
        seasonLength: 4,
      },
    );
  });

  describe('rejects, naming the field', () => {
    it('fewer points than two seasons', () => {
      const found = issues({ series: series(13), horizon: 3 });
      expect(found).toEqual([[['series'], expect.stringContaining('at least 14 are needed')]]);
      expect(onlyPath({ series: series(103, 7 * dayMs), horizon: 3 })).toEqual([['series']]);
      expect(onlyPath({ series: series(104, 7 * dayMs), horizon: 3 })).toEqual([]);
      expect(onlyPath({ series: series(59), horizon: 3, season_length: 30 })).toEqual([['series']]);
    });

    it.each([
      ['null', null],
      ['the string "NaN"', 'NaN'],
      ['NaN', Number.NaN],
      ['Infinity', Number.POSITIVE_INFINITY],
      ['a numeric string', '12'],
      ['nothing', undefined],
    ])('a value that is %s', (_, value) => {
      const points = series(20).map((point, i) => (i === 4 ? { ...point, value } : point));
      const found = issues({ series: points, horizon: 3 });
      expect(found).toEqual([[['series', 4, 'value'], expect.stringContaining('must be a finite number')]]);
    });

    it('unsorted timestamps, at the first point out of order', () => {
      const points = series(20);
      [points[5], points[6]] = [points[6] as (typeof points)[number], points[5] as (typeof points)[number]];
      expect(issues({ series: points, horizon: 3 })).toEqual([
        [['series', 6, 'timestamp'], expect.stringContaining('must be ascending')],
      ]);
    });

    it('a reversed series with one issue, not one per point', () => {
      expect(issues({ series: series(1_000).reverse(), horizon: 3 })).toHaveLength(1);
    });

    it('duplicate timestamps', () => {
      const points = series(20).map((point, i, all) =>
        i === 8 ? { ...point, timestamp: all[7]?.timestamp } : point,
      );
      expect(issues({ series: points, horizon: 3 })).toEqual([
        [['series', 8, 'timestamp'], expect.stringContaining('repeats')],
      ]);
    });

    it('a missing step, or spacing that does not match the frequency', () => {
      const gap = series(21).filter((_, i) => i !== 10);
      expect(issues({ series: gap, horizon: 3 })).toEqual([
        [['series', 10, 'timestamp'], expect.stringContaining('2 day(s) after')],
      ]);
      expect(onlyPath({ series: series(120), horizon: 3, frequency: 'weekly' })).toEqual([
        ['series', 1, 'timestamp'],
      ]);
      expect(onlyPath({ series: series(30, 3_600_000), horizon: 3 })).toEqual([['series', 1, 'timestamp']]);
    });

    it('a timestamp that is not an RFC 3339 date or date-time', () => {
      for (const timestamp of [
        '2024-01-05T00:00:00',
        '2024-1-5',
        '2024-01-05 00:00:00Z',
        '2024-02-30T00:00:00Z',
        1_704_412_800_000,
      ]) {
        const points = series(20).map((point, i) => (i === 4 ? { ...point, timestamp } : point));
        expect(onlyPath({ series: points, horizon: 3 })).toEqual([['series', 4, 'timestamp']]);
      }
    });

    it.each([0, -1, 1.5, '7', null])('horizon %s', (horizon) => {
      expect(onlyPath({ series: series(20), horizon })).toEqual([['horizon']]);
    });

    it('a horizon past twice the series length or past the cap', () => {
      expect(onlyPath({ series: series(14), horizon: 28 })).toEqual([]);
      expect(issues({ series: series(14), horizon: 29 })).toEqual([
        [['horizon'], expect.stringContaining('28')],
      ]);
      expect(onlyPath({ series: series(600), horizon: forecastLimits.maxHorizon + 1 })).toEqual([
        ['horizon'],
      ]);
    });

    it('more points than the cap', () => {
      const found = issues({ series: series(forecastLimits.maxPoints + 1), horizon: 3 });
      expect(found).toEqual([[['series'], expect.stringContaining(`at most ${forecastLimits.maxPoints}`)]]);
    });

    it.each([0.49, 1, '0.8'])('interval %s', (interval) => {
      expect(onlyPath({ series: series(20), horizon: 3, interval })).toEqual([['interval']]);
    });

    it('a season length below 2 or not whole', () => {
      expect(onlyPath({ series: series(20), horizon: 3, season_length: 1 })).toEqual([['season_length']]);
      expect(onlyPath({ series: series(20), horizon: 3, season_length: 2.5 })).toEqual([['season_length']]);
    });

    it('a frequency it does not know', () => {
      expect(onlyPath({ series: series(20), horizon: 3, frequency: 'hourly' })).toEqual([['frequency']]);
    });
  });
});
