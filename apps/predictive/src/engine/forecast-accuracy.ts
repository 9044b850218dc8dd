/**
 * Mean absolute one-season-back difference of `history`: the in-sample error of seasonal naive, which
 * scales errors into MASE (Hyndman & Koehler 2006). Null when it is 0 and nothing can be scaled by it.
 */
export function maseScale(history: Float64Array, seasonLength: number): number | null {
  let sum = 0;
  for (let t = seasonLength; t < history.length; t++) {
    sum += Math.abs((history[t] ?? 0) - (history[t - seasonLength] ?? 0));
  }
  const scale = sum / (history.length - seasonLength);
  return scale > 0 && Number.isFinite(scale) ? scale : null;
}

/** Sums of absolute errors and of sMAPE terms (percent, 0–200), to average over several origins. */
export interface ErrorSums {
  count: number;
  absolute: number;
  smape: number;
}

export const emptyErrorSums = (): ErrorSums => ({ count: 0, absolute: 0, smape: 0 });

/** Adds each point's errors; points whose `scored` flag is 0 (not demand) are left out. */
export function addErrors(
  sums: ErrorSums,
  actual: Float64Array,
  predicted: readonly number[],
  scored?: Uint8Array,
): void {
  actual.forEach((value, i) => {
    if (scored?.[i] === 0) return;
    const guess = predicted[i] ?? Number.NaN;
    const error = Math.abs(value - guess);
    const magnitude = Math.abs(value) + Math.abs(guess);
    sums.count += 1;
    sums.absolute += error;
    // Both zero is a perfect guess, not 0/0.
    sums.smape += magnitude === 0 ? 0 : (200 * error) / magnitude;
  });
}
