import { Redis } from 'ioredis';

/** CPU time the Redis server has used (user + system), in milliseconds, from `INFO cpu`. */
export async function redisCpuMs(redisUrl: string): Promise<number> {
  const redis = new Redis(redisUrl);
  try {
    const info = await redis.info('cpu');
    const field = (name: string) =>
      Number(new RegExp(`^${name}:([\\d.]+)`, 'm').exec(info)?.[1] ?? Number.NaN);
    return (field('used_cpu_user') + field('used_cpu_sys')) * 1_000;
  } finally {
    await redis.quit();
  }
}
