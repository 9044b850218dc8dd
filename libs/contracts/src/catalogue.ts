import type { JobContract } from './define-job.js';
import { FlowNotify } from './jobs/flow-notify.js';
import { FlowStore } from './jobs/flow-store.js';
import { LlmExtract } from './jobs/llm-extract.js';
import { LlmRewrite } from './jobs/llm-rewrite.js';
import { LlmClassify } from './jobs/llm-classify.js';
import { LlmDraftReply } from './jobs/llm-draft-reply.js';
import { LlmIntent } from './jobs/llm-intent.js';
import { LlmSentiment } from './jobs/llm-sentiment.js';
import { LlmSummarize } from './jobs/llm-summarize.js';
import { LlmTags } from './jobs/llm-tags.js';
import { OcrExtract } from './jobs/ocr-extract.js';
import { PredictiveForecast } from './jobs/predictive-forecast.js';
import { PredictiveForecastBatch } from './jobs/predictive-forecast-batch.js';
import { PredictiveFraudScore } from './jobs/predictive-fraud-score.js';
import { PredictiveRecommend } from './jobs/predictive-recommend.js';
import { PredictiveTrainFraud } from './jobs/predictive-train-fraud.js';
import { PredictiveTrainRecommender } from './jobs/predictive-train-recommender.js';
import { VisionBarcodes } from './jobs/vision-barcodes.js';
import { VisionClassify } from './jobs/vision-classify.js';
import { VisionDetect } from './jobs/vision-detect.js';
import { VisionEnhance } from './jobs/vision-enhance.js';
import { VisionTags } from './jobs/vision-tags.js';
import { VisionVideo } from './jobs/vision-video.js';

/**
 * The job types this build ships. A contract file under `jobs/` adds itself here; the gateway
 * also accepts types that live workers announce, so a worker team can ship one without a gateway release.
 */
export const jobCatalogue = [
  OcrExtract,
  LlmSentiment,
  LlmRewrite,
  LlmExtract,
  LlmSummarize,
  LlmTags,
  LlmIntent,
  LlmClassify,
  LlmDraftReply,
  VisionDetect,
  VisionBarcodes,
  VisionEnhance,
  VisionTags,
  VisionClassify,
  VisionVideo,
  PredictiveForecast,
  PredictiveForecastBatch,
  PredictiveTrainFraud,
  PredictiveFraudScore,
  PredictiveTrainRecommender,
  PredictiveRecommend,
  FlowStore,
  FlowNotify,
] as const satisfies readonly JobContract[];

export type CatalogueContract = (typeof jobCatalogue)[number];

export type QueueName = CatalogueContract['queue'];

/** The shipped contracts a queue's workers must handle. */
export const contractsForQueue = <Q extends QueueName>(queue: Q) =>
  jobCatalogue.filter((contract: JobContract) => contract.queue === queue) as unknown as readonly Extract<
    CatalogueContract,
    { queue: Q }
  >[];
