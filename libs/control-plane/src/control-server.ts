import type { Logger } from '@nestjs/common';
import { ServerRedis } from '@nestjs/microservices';
import type { Redis } from 'ioredis';
import type { ControlLogger } from './control-logger.js';
import { NestLoggerBridge } from './nest-logger-bridge.js';
import type { RedisConnection } from './parse-redis-url.js';
import { closeRedisClient, unavailable } from './redis-client.js';

export interface ControlServer {
  close(): Promise<void>;
}

export interface ControlServerOptions {
  connection: RedisConnection;
  /** The name of its connections in CLIENT LIST. */
  name: string;
  logger: ControlLogger;
  /** Event pattern → handler; a handler gets the payload as sent and must not throw. */
  events: Record<string, (payload: unknown) => Promise<void>>;
  /** Request pattern → handler whose result is sent back to the one caller; must not throw. */
  messages?: Record<string, (payload: unknown) => Promise<unknown>>;
}

/** The NestJS Redis transport server, with our logger and a shutdown that cannot hang. */
class ControlServerRedis extends ServerRedis {
  protected override readonly logger: Logger;

  constructor(options: ConstructorParameters<typeof ServerRedis>[0], logger: ControlLogger) {
    super(options);
    this.logger = new NestLoggerBridge(logger, 'control-server');
  }

  // ServerRedis sends SUBSCRIBE without waiting for it; Redis answers a PING on the same
  // connection only after it, so past this point no event sent to us is missed.
  async subscribed(): Promise<void> {
    await (this.subClient as Redis).ping();
  }

  // ServerRedis quits both connections, and a QUIT waits forever on a Redis that is away.
  override async close(): Promise<void> {
    this.isManuallyClosed = true;
    const clients = [this.pubClient, this.subClient] as (Redis | undefined)[];
    await Promise.all(clients.map((client) => client && closeRedisClient(client)));
  }
}

/**
 * Starts a NestJS microservice server on the Redis transport that dispatches the given event
 * patterns, without a Nest application or decorators: handlers are added with `addHandler`.
 */
export async function startControlServer(options: ControlServerOptions): Promise<ControlServer> {
  const { connection, name, logger, events, messages = {} } = options;
  const server = new ControlServerRedis(
    // retryAttempts must be set, or ServerRedis never reconnects after a Redis restart
    { ...connection, connectionName: name, retryAttempts: Number.MAX_SAFE_INTEGER, retryDelay: 1_000 },
    logger,
  );
  for (const [pattern, handler] of Object.entries(events)) server.addHandler(pattern, handler, true);
  for (const [pattern, handler] of Object.entries(messages)) server.addHandler(pattern, handler, false);
  try {
    await new Promise<void>((resolve, reject) => {
      // listen() reports through its callback, failures included
      void server.listen((error?: unknown) => (error === undefined ? resolve() : reject(error)));
    });
    await server.subscribed();
  } catch (error) {
    await server.close();
    throw unavailable(connection, error);
  }
  return { close: () => server.close() };
}
