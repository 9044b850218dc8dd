import { type AnnouncedJobType, type JobContract, jobJsonSchemas } from '@gantry/contracts';

/** Job types as a worker announces them, so a gateway built without their contracts can serve them. */
export function announceJobTypes(contracts: readonly JobContract[]): AnnouncedJobType[] {
  return contracts.map((contract) => {
    const schemas = jobJsonSchemas(contract);
    return {
      type: contract.type,
      queue: contract.queue,
      summary: contract.summary,
      input_schema: schemas.input,
      output_schema: schemas.output,
      defaults: {
        attempts: contract.defaults.attempts,
        backoff_ms: contract.defaults.backoffMs,
        timeout_ms: contract.defaults.timeoutMs,
      },
      errors: [...contract.errors],
      accepts: [...contract.accepts],
    };
  });
}
