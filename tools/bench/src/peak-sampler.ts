/** Samples a reading (a process's RSS) while a measurement runs and keeps the highest value. */
export function peakSampler(read: () => Promise<number>, everyMs = 250): { stop(): Promise<number> } {
  let peak = 0;
  let pending: Promise<void> = Promise.resolve();
  const sample = () => {
    pending = read().then(
      (value) => {
        peak = Math.max(peak, value);
      },
      () => undefined,
    );
  };
  sample();
  const timer = setInterval(sample, everyMs);
  return {
    async stop() {
      clearInterval(timer);
      await pending;
      return peak;
    },
  };
}
