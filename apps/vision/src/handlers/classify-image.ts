import type { VisionClassify } from '@gantry/contracts';
import type { Handler } from '@gantry/queue-runtime';
import { classifierMissing, type ImageClassifier } from '../classifier/create-image-classifier.js';

/** `vision.classify`: blob → the installed ONNX classifier → top-k labels. */
export const classifyImage: Handler<
  typeof VisionClassify,
  { classifier: ImageClassifier | null; classifierFolder: string }
> = async (input, ctx, { classifier, classifierFolder }) => {
  if (!classifier) throw classifierMissing(classifierFolder);
  ctx.useModel(classifier.model);
  return classifier.classify(await ctx.readBlob(input.file), {
    topK: input.top_k,
    minScore: input.min_score,
    signal: ctx.signal,
  });
};
