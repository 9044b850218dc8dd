import type { Logger } from '@nestjs/common';
import { ClientRedis } from '@nestjs/microservices';
import type { Redis } from 'ioredis';
import { lastValueFrom, timeout } from 'rxjs';
import type { ControlLogger } from './control-logger.js';
import { NestLoggerBridge } from './nest-logger-bridge.js';
import type { RedisConnection } from './parse-redis-url.js';
import { closeRedisClient, unavailable } from './redis-client.js';

export interface ControlEmitter {
  /** Publishes one event; resolves once Redis took it. */
  emit(pattern: string, payload: Record<string, unknown>): Promise<void>;
  /** Sends a request and resolves with the first answer; rejects with rxjs' TimeoutError after `timeoutMs`. */
  send(pattern: string, payload: Record<string, unknown>, timeoutMs: number): Promise<unknown>;
  close(): Promise<void>;
}

/** The NestJS Redis transport client, with our logger and a shutdown that cannot hang. */
class ControlClientRedis extends ClientRedis {
  protected override readonly logger: Logger;

  constructor(options: ConstructorParameters<typeof ClientRedis>[0], logger: ControlLogger) {
    super(options);
    this.logger = new NestLoggerBridge(logger, 'control-client');
  }

  // ClientRedis quits both connections, and a QUIT waits forever on a Redis that is away.
  override async close(): Promise<void> {
    this.isManuallyClosed = true;
    this.handleClose();
    const clients = [this.pubClient, this.subClient] as (Redis | null | undefined)[];
    await Promise.all(clients.map((client) => client && closeRedisClient(client)));
  }
}

/** Opens the NestJS `ClientProxy` that sends control events (fire-and-forget `emit`). */
export async function createControlEmitter(
  connection: RedisConnection,
  logger: ControlLogger,
  name: string,
): Promise<ControlEmitter> {
  const client = new ControlClientRedis(
    // retryAttempts must be set, or ClientRedis never reconnects after a Redis restart
    { ...connection, connectionName: name, retryAttempts: Number.MAX_SAFE_INTEGER, retryDelay: 1_000 },
    logger,
  );
  try {
    await client.connect();
  } catch (error) {
    await client.close();
    throw unavailable(connection, error);
  }
  return {
    emit: async (pattern, payload) => {
      await lastValueFrom(client.emit(pattern, payload), { defaultValue: undefined });
    },
    send: (pattern, payload, timeoutMs) =>
      lastValueFrom(client.send<unknown>(pattern, payload).pipe(timeout(timeoutMs))),
    close: () => client.close(),
  };
}
