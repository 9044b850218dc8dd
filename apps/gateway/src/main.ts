import { loadGatewayEnv } from './env.js';
import { startGateway } from './start-gateway.js';

const gateway = await startGateway(loadGatewayEnv());

for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  process.once(signal, () => {
    gateway.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  });
}
