/** Child entry: the real gateway, composed exactly as `apps/gateway` composes it, configured by env. */
import { loadGatewayEnv, startGateway } from '@gantry/gateway';
import { serveBench } from './serve-bench.js';

serveBench(() => startGateway(loadGatewayEnv()));
