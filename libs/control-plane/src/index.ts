export type { ControlLogger } from './control-logger.js';
export {
  createControlClient,
  type ControlClient,
  type ControlClientOptions,
  type WorkerFilter,
} from './create-control-client.js';
export {
  startControlAgent,
  type ControlAgent,
  type ControlAgentOptions,
  type ControlHandlers,
} from './start-control-agent.js';
