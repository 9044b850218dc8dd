import { once } from 'node:events';
import { type AddressInfo, createServer, type Socket, connect } from 'node:net';

export interface TcpLink {
  /** `redis://` URL of the link's own end: clients given it reach the target through the link. */
  readonly url: string;
  /**
   * Drops every connection through the link; new ones are accepted but held, their bytes unread,
   * until `restore()`: to a client the server is there and silent, so its reconnect waits on the link.
   */
  cut(): void;
  /** Lets the held connections (and every new one) through to the target. */
  restore(): void;
  close(): Promise<void>;
}

/**
 * A TCP proxy a test puts between a process and Redis, to take the process's connections away and
 * give them back at a moment the test chooses (a Redis that is still up for everyone else).
 */
export async function startTcpLink(target: string): Promise<TcpLink> {
  const { hostname, port } = new URL(target);
  const live = new Set<Socket>();
  const held: Socket[] = [];
  let up = true;

  const join = (client: Socket) => {
    const upstream = connect(Number(port), hostname);
    const drop = () => {
      client.destroy();
      upstream.destroy();
      live.delete(client);
    };
    client.on('error', drop).on('close', drop);
    upstream.on('error', drop).on('close', drop);
    client.pipe(upstream).pipe(client);
    live.add(client);
  };

  const server = createServer((client) => {
    if (up) return join(client);
    client.pause();
    client.on('error', () => client.destroy());
    held.push(client);
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');

  return {
    url: `redis://127.0.0.1:${(server.address() as AddressInfo).port}`,
    cut() {
      up = false;
      for (const client of live) client.destroy();
    },
    restore() {
      up = true;
      for (const client of held.splice(0)) if (!client.destroyed) join(client);
    },
    async close() {
      for (const client of [...live, ...held]) client.destroy();
      server.close();
      await once(server, 'close');
    },
  };
}
