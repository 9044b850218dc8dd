// The image's HEALTHCHECK: healthy means ready (`/readyz` answers 200). The gateway serves it on
// GATEWAY_PORT, a worker on WORKER_HEALTH_PORT (the Dockerfile sets both; this script runs outside the app).
const port = process.env.GATEWAY_PORT ?? process.env.WORKER_HEALTH_PORT;
const response = await fetch(`http://127.0.0.1:${port}/readyz`, { signal: AbortSignal.timeout(4_000) }).catch(
  () => null,
);
process.exit(response?.status === 200 ? 0 : 1);
