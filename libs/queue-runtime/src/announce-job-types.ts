import type { AnnouncedJobType, JobContract } from '@gantry/contracts';
import { z } from 'zod';

/** Job types as a worker announces them, so a gateway built without their contracts can serve them. */
export function announceJobTypes(contracts: readonly JobContract[]): AnnouncedJobType[] {
  return contracts.map((contract) => ({
    type: contract.type,
    queue: contract.queue,
    summary: contract.summary,
    input_schema: z.toJSONSchema(contract.input, { io: 'input', unrepresentable: 'any' }) as Record<
      string,
      unknown
    >,
    output_schema: z.toJSONSchema(contract.output, { unrepresentable: 'any' }) as Record<string, unknown>,
    defaults: {
      attempts: contract.defaults.attempts,
      backoff_ms: contract.defaults.backoffMs,
      timeout_ms: contract.defaults.timeoutMs,
    },
    errors: [...contract.errors],
    accepts: [...contract.accepts],
  }));
}
