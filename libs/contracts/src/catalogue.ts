import type { JobContract } from './define-job.js';
import { LlmSentiment } from './jobs/llm-sentiment.js';
import { OcrExtract } from './jobs/ocr-extract.js';
import { PredictiveForecast } from './jobs/predictive-forecast.js';
import { VisionBarcodes } from './jobs/vision-barcodes.js';
import { VisionDetect } from './jobs/vision-detect.js';
import { VisionEnhance } from './jobs/vision-enhance.js';
import { VisionTags } from './jobs/vision-tags.js';

/**
 * The job types this build ships. A contract file under `jobs/` adds itself here; the gateway
 * also accepts types that live workers announce, so a worker team can ship one without a gateway release.
 */
export const jobCatalogue = [
  OcrExtract,
  LlmSentiment,
  VisionDetect,
  VisionBarcodes,
  VisionEnhance,
  VisionTags,
  PredictiveForecast,
] as const satisfies readonly JobContract[];

export type CatalogueContract = (typeof jobCatalogue)[number];

export type QueueName = CatalogueContract['queue'];

/** The shipped contracts a queue's workers must handle. */
export const contractsForQueue = <Q extends QueueName>(queue: Q) =>
  jobCatalogue.filter((contract: JobContract) => contract.queue === queue) as unknown as readonly Extract<
    CatalogueContract,
    { queue: Q }
  >[];
