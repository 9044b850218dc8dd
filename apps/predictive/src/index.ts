export {
  createForecastEngine,
  type ForecastEngine,
  type ForecastOptions,
  type ForecastRequest,
  type ForecastResult,
} from './engine/create-forecast-engine.js';
