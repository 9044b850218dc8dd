/**
 * How many jobs a worker takes from its queue at once: one per engine process and, while its jobs are
 * short, one more per engine, held (still `queued`) until an engine frees up. The next job is then in
 * hand when an engine finishes, instead of a Redis round trip away, which is a large share of a job of a
 * few milliseconds (measured on the 2-core bench machine: 3–15 % more no-op jobs a second draining a queue).
 * Long jobs are not held: a held job would wait behind another while a replica with a free engine could
 * run it (Celery's prefetch problem).
 */
export class PrefetchPolicy {
  private averageMs: number | null = null;

  constructor(
    private readonly engines: number,
    /** Jobs whose recent average run time is below this are held ahead. */
    private readonly shortJobMs = 100,
  ) {}

  /** Before any job has run: one per engine. */
  get initial(): number {
    return this.engines;
  }

  /** Takes the run time of a finished job; returns how many jobs to take at once from now on. */
  observe(runMs: number): number {
    // An exponential average of the last ~10 jobs: a switch between short and long jobs shows quickly.
    this.averageMs = this.averageMs === null ? runMs : this.averageMs + (runMs - this.averageMs) * 0.1;
    return this.averageMs < this.shortJobMs ? this.engines * 2 : this.engines;
  }
}
