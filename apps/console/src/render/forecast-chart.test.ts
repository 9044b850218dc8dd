import { describe, expect, it } from 'vitest';
import { chartGeometry } from './forecast-chart.js';

const history = [
  { timestamp: '2026-01-01', value: 10 },
  { timestamp: '2026-01-02', value: 20 },
];
const forecast = [
  { timestamp: '2026-01-03', value: 20, lower: 15, upper: 30 },
  { timestamp: '2026-01-04', value: 25, lower: 5, upper: 40 },
];

describe('the forecast chart', () => {
  it('scales y over values and interval bounds together', () => {
    const geometry = chartGeometry(history, forecast);
    expect([geometry.min, geometry.max]).toEqual([5, 40]);
  });

  it('joins the forecast to the last known point and closes the interval band', () => {
    const geometry = chartGeometry(history, forecast);
    const lastKnown = geometry.history.split(' ').at(-1)?.slice(1);
    expect(geometry.forecast.startsWith(`M${lastKnown}`)).toBe(true);
    expect(geometry.band.endsWith('Z')).toBe(true);
    // Upper bounds left to right, then lower bounds right to left: 4 corners of a 2-point band.
    expect(geometry.band.match(/[ML]/g)).toHaveLength(4);
  });

  it('draws a flat series across the middle rather than dividing by zero', () => {
    const flat = chartGeometry(
      [{ timestamp: 'a', value: 3 }],
      [{ timestamp: 'b', value: 3, lower: 3, upper: 3 }],
    );
    expect(flat.history).toBe('M24.0,120.0');
  });
});
