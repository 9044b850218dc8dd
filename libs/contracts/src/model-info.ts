import { z } from 'zod';

/** What produced an output: shown in worker announcements and in each job a model ran for. */
export const ModelInfo = z.object({
  name: z.string(),
  version: z.string(),
  sha256: z.string().nullable(),
});
export type ModelInfo = z.infer<typeof ModelInfo>;
