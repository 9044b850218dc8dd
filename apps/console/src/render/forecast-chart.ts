import { s } from '../dom.js';

interface Point {
  timestamp: string;
  value: number;
}
interface Forecasted extends Point {
  lower: number;
  upper: number;
}

export interface ChartGeometry {
  /** The history line, the forecast line and the interval band, as SVG path data. */
  history: string;
  forecast: string;
  band: string;
  min: number;
  max: number;
}

const width = 640;
const height = 240;
const pad = 24;

/**
 * Where the history, the forecast and its prediction interval fall on a 640×240 chart: one x step per
 * point (the series is evenly spaced), y from the lowest to the highest of values and bounds.
 */
export function chartGeometry(history: readonly Point[], forecast: readonly Forecasted[]): ChartGeometry {
  const values = [...history.map((p) => p.value), ...forecast.flatMap((p) => [p.value, p.lower, p.upper])];
  const min = Math.min(...values);
  const max = Math.max(...values);
  const steps = Math.max(1, history.length + forecast.length - 1);
  const x = (i: number) => pad + (i / steps) * (width - 2 * pad);
  const y = (v: number) => (max === min ? height / 2 : pad + ((max - v) / (max - min)) * (height - 2 * pad));
  const line = (points: [number, number][]) =>
    points.map(([px, py], i) => `${i === 0 ? 'M' : 'L'}${px.toFixed(1)},${py.toFixed(1)}`).join(' ');
  const offset = history.length;
  // The forecast line starts at the last known point, so the two lines join.
  const lastKnown = history.at(-1);
  const joined: [number, number][] = lastKnown ? [[x(offset - 1), y(lastKnown.value)]] : [];
  const upper = forecast.map((p, i): [number, number] => [x(offset + i), y(p.upper)]);
  const lower = forecast.map((p, i): [number, number] => [x(offset + i), y(p.lower)]).reverse();
  return {
    history: line(history.map((p, i) => [x(i), y(p.value)])),
    forecast: line([...joined, ...forecast.map((p, i): [number, number] => [x(offset + i), y(p.value)])]),
    band: forecast.length > 0 ? `${line([...upper, ...lower])} Z` : '',
    min,
    max,
  };
}

/** The forecast chart: history, forecast and the shaded interval, with a text summary for screen readers. */
export function forecastChart(history: readonly Point[], forecast: readonly Forecasted[]): SVGSVGElement {
  const geometry = chartGeometry(history, forecast);
  const last = forecast.at(-1);
  const description = last
    ? `Forecast chart: ${history.length} known points, ${forecast.length} forecast to ${last.timestamp}, ending at ${last.value.toFixed(2)} (interval ${last.lower.toFixed(2)} to ${last.upper.toFixed(2)})`
    : 'Forecast chart with no forecast points';
  return s(
    'svg',
    { class: 'chart', viewBox: `0 0 ${width} ${height}`, role: 'img', 'aria-label': description },
    s('path', { d: geometry.band, class: 'band' }),
    s('path', { d: geometry.history, class: 'history' }),
    s('path', { d: geometry.forecast, class: 'forecast' }),
    s('text', { x: 4, y: 14, class: 'axis' }, geometry.max.toFixed(2)),
    s('text', { x: 4, y: height - 4, class: 'axis' }, geometry.min.toFixed(2)),
  );
}
