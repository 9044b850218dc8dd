import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Registry } from '@gantry/observability';

/** `/healthz` (alive), `/readyz` (engines loaded, Redis up, taking jobs) and `/metrics` for a worker. */
export async function startWorkerHealthServer(
  port: number,
  ready: () => { ok: boolean; reason: string | null },
  metrics: Registry,
): Promise<{ server: Server; port: number }> {
  const server = createServer((req, res) => {
    const url = req.url ?? '/';
    if (url === '/healthz') {
      res.writeHead(200, { 'content-type': 'application/json' }).end('{"status":"ok"}');
    } else if (url === '/readyz') {
      const state = ready();
      res
        .writeHead(state.ok ? 200 : 503, { 'content-type': 'application/json' })
        .end(JSON.stringify({ status: state.ok ? 'ready' : 'not_ready', reason: state.reason }));
    } else if (url === '/metrics') {
      metrics.metrics().then(
        (body) => res.writeHead(200, { 'content-type': metrics.contentType }).end(body),
        () => res.writeHead(500).end(),
      );
    } else {
      res.writeHead(404).end();
    }
  });
  await new Promise<void>((resolve) => server.listen(port, resolve));
  return { server, port: (server.address() as AddressInfo).port };
}
