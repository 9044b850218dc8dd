import { randomBytes } from 'node:crypto';
import type { Redis } from 'ioredis';

export interface ReplicaRoundsOptions<T> {
  redis: Redis;
  /** The Redis key of the lock that lets one replica at a time run a round. */
  lockKey: string;
  /** Time between rounds. */
  intervalMs: number;
  /**
   * One round, under the lock. `renew` extends the lock: call it after each bounded step. `signal`
   * aborts when the process stops: a long round should end at its next step.
   */
  round: (renew: () => Promise<void>, signal: AbortSignal) => Promise<T>;
  /** A round the timer started failed; the next one tries again. */
  onError: (error: unknown) => void;
}

export interface ReplicaRounds<T> {
  /** One round now, or null when another replica holds the lock; a call during a round joins it. */
  run(): Promise<T | null>;
  /** Stops the timer and waits for the round under way, which is asked to end early. */
  stop(): Promise<void>;
}

const lockMs = 60_000;
// Compare-and-act on the lock: a replica whose lock expired must not extend or free another's.
const renewScript = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) else return 0 end`;
const releaseScript = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) else return 0 end`;

/**
 * Runs a housekeeping round every `intervalMs` in one gateway replica at a time: each replica has the
 * timer, and the first to take a short Redis lock runs the round while the others skip it. The lock
 * lives a minute past its last renewal, so a replica that dies mid-round holds it up no longer.
 */
export function startReplicaRounds<T>(options: ReplicaRoundsOptions<T>): ReplicaRounds<T> {
  const { redis, lockKey } = options;
  const token = randomBytes(8).toString('hex');
  const stopping = new AbortController();
  let running: Promise<T | null> | null = null;

  const renew = async () => {
    await redis.eval(renewScript, 1, lockKey, token, lockMs);
  };

  async function runOnce(): Promise<T | null> {
    const locked = await redis.set(lockKey, token, 'PX', lockMs, 'NX');
    if (locked !== 'OK') return null;
    try {
      return await options.round(renew, stopping.signal);
    } finally {
      await redis.eval(releaseScript, 1, lockKey, token).catch(() => undefined);
    }
  }

  const run = (): Promise<T | null> => {
    running ??= runOnce().finally(() => (running = null));
    return running;
  };

  const timer = setInterval(() => {
    run().catch(options.onError);
  }, options.intervalMs);
  timer.unref();

  return {
    run,
    async stop() {
      clearInterval(timer);
      stopping.abort();
      await running?.catch(() => undefined);
    },
  };
}
