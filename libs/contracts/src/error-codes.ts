/**
 * The one registry of error codes. Codes are stable (`AREA_REASON`); messages may change.
 * `status` is the HTTP status the gateway answers with; `retryable` tells clients (and the
 * worker runtime) whether trying again can succeed.
 */
export const errorCodes = {
  // request errors (gateway)
  BAD_REQUEST: {
    status: 400,
    retryable: false,
    description: 'The request is malformed (bad JSON, bad multipart, bad header).',
  },
  UNAUTHORIZED: { status: 401, retryable: false, description: 'Missing, unknown or revoked API key.' },
  FORBIDDEN: { status: 403, retryable: false, description: 'The API key lacks the scope this route needs.' },
  NOT_FOUND: { status: 404, retryable: false, description: 'No such route.' },
  JOB_NOT_FOUND: { status: 404, retryable: false, description: 'No job with this id for this tenant.' },
  BLOB_NOT_FOUND: { status: 404, retryable: false, description: 'No blob with this id for this tenant.' },
  API_KEY_NOT_FOUND: {
    status: 404,
    retryable: false,
    description: "No active API key with this id (of the caller's tenant).",
  },
  WORKER_NOT_FOUND: { status: 404, retryable: false, description: 'No live worker with this id.' },
  UNKNOWN_JOB_TYPE: {
    status: 404,
    retryable: false,
    description: 'The job type is not in the catalogue; details list the known types.',
  },
  IDEMPOTENCY_CONFLICT: {
    status: 409,
    retryable: false,
    description: 'The Idempotency-Key was used with a different request body.',
  },
  JOB_NOT_CANCELABLE: { status: 409, retryable: false, description: 'The job already ended.' },
  SOURCE_JOB_NOT_FINISHED: {
    status: 409,
    retryable: true,
    description:
      'The job an input refers to (`source.job_id`) has not ended yet; retry once it has succeeded. details.status says where it is.',
  },
  SOURCE_JOB_NOT_SUCCEEDED: {
    status: 409,
    retryable: false,
    description:
      'The job an input refers to (`source.job_id`) ended without output (failed, canceled, timed out, expired); details.status says how.',
  },
  SOURCE_NOT_TEXT: {
    status: 422,
    retryable: false,
    description:
      "The referenced job's output holds no text at `source.path`; details name the path and what was found there.",
  },
  PIPELINE_NOT_FOUND: {
    status: 404,
    retryable: false,
    description: 'No built-in pipeline of this name (and version); details list the known ones.',
  },
  PIPELINE_RUN_NOT_FOUND: {
    status: 404,
    retryable: false,
    description: 'No pipeline run with this id for this tenant.',
  },
  BATCH_NOT_FOUND: { status: 404, retryable: false, description: 'No batch with this id for this tenant.' },
  PIPELINE_INVALID: {
    status: 422,
    retryable: false,
    description:
      'The pipeline definition is invalid: details.issues lists each problem with its path (an unknown step type, a bad reference, a mapping that does not fit the step’s input schema, a cycle).',
  },
  PIPELINE_STEP_TYPE_MISSING: {
    status: 422,
    retryable: false,
    description:
      'A step of the pipeline names a job type that neither this build nor a live worker provides; details.missing_types names them.',
  },
  PIPELINE_STEP_INPUT_INVALID: {
    status: 422,
    retryable: false,
    description:
      'A pipeline step’s input, built from the run input and earlier outputs, does not match its job type; the run fails with it.',
  },
  FLOW_STORE_TOO_LARGE: {
    status: 413,
    retryable: false,
    description: 'The value a flow.store step was given is over 5 MB as JSON; store a smaller part of it.',
  },
  PAYLOAD_TOO_LARGE: {
    status: 413,
    retryable: false,
    description: 'The JSON body or the uploaded file is over the limit.',
  },
  UNSUPPORTED_MEDIA_TYPE: {
    status: 415,
    retryable: false,
    description:
      'The content type of the request, or the real type of its file (sniffed by the gateway or found by the worker), is not one the job type reads.',
  },
  VALIDATION_FAILED: {
    status: 422,
    retryable: false,
    description:
      'The input does not match the job type schema (details.issues lists each problem with its path), or the worker refused its content.',
  },
  RATE_LIMITED: {
    status: 429,
    retryable: true,
    description:
      'Too many requests for this API key, or too many failed authentications from this address; retry after Retry-After.',
  },
  QUOTA_EXCEEDED: {
    status: 429,
    retryable: true,
    description: 'A tenant quota is exhausted; details name the limit and its value.',
  },
  INTERNAL: { status: 500, retryable: true, description: 'An unexpected error; the log has the details.' },
  MODEL_REGISTRY_UNAVAILABLE: {
    status: 503,
    retryable: true,
    description: 'No live predictive worker answered; the model registry is reached through them.',
  },
  QUEUE_UNAVAILABLE: {
    status: 503,
    retryable: true,
    description: 'Redis is unreachable; retry after the Retry-After delay.',
  },
  DATABASE_UNAVAILABLE: {
    status: 503,
    retryable: true,
    description: 'PostgreSQL is unreachable; retry after the Retry-After delay.',
  },
  // notifications (webhooks, e-mail reports)
  WEBHOOK_URL_FORBIDDEN: {
    status: 422,
    retryable: false,
    description:
      'The webhook URL is, or resolves to, a loopback, private, link-local or metadata address (allow a host with WEBHOOK_ALLOWED_HOSTS).',
  },
  WEBHOOK_SECRET_MISSING: {
    status: 409,
    retryable: false,
    description: 'The tenant has no webhook signing secret yet; create one with POST /v1/webhook-secret.',
  },
  WEBHOOK_SECRET_UNREADABLE: {
    status: 500,
    retryable: true,
    description:
      'The gateway cannot open the tenant’s stored signing secret: it is sealed with a key that neither WEBHOOK_SECRET_KEY nor WEBHOOK_SECRET_KEY_PREVIOUS is, or was altered; retried, so that a fixed key delivers it.',
  },
  WEBHOOK_DELIVERY_FAILED: {
    status: 502,
    retryable: true,
    description:
      'The webhook receiver answered other than 2xx (redirects are not followed), or could not be reached.',
  },
  EMAIL_NOT_CONFIGURED: {
    status: 422,
    retryable: false,
    description: 'E-mail reports need SMTP settings (SMTP_URL or SMTP_HOST, and SMTP_FROM) on the gateway.',
  },
  EMAIL_DELIVERY_FAILED: {
    status: 502,
    retryable: true,
    description: 'The SMTP server refused the report or could not be reached.',
  },
  NOTIFICATION_NOT_FOUND: {
    status: 404,
    retryable: false,
    description: 'No webhook delivery or e-mail report with this id for this job.',
  },
  SCHEDULE_NOT_FOUND: {
    status: 404,
    retryable: false,
    description: 'No schedule with this id for this tenant.',
  },
  // job failures (a failed job's `error.code`); a condition either side may detect has one code, above
  JOB_TIMED_OUT: {
    status: 504,
    retryable: false,
    description: 'The job ran past its timeout and its engine process was stopped.',
  },
  JOB_CANCELED: { status: 409, retryable: false, description: 'The job was canceled.' },
  JOB_EXPIRED: {
    status: 410,
    retryable: false,
    description: 'The job was still queued at its start deadline (`expires_in`) and never ran.',
  },
  JOB_LIFETIME_EXCEEDED: {
    status: 504,
    retryable: true,
    description:
      'The job had not ended `JOB_MAX_LIFETIME_S` after its creation (no worker took it, or its worker and its state were lost); it was ended then.',
  },
  WORKER_LOST: {
    status: 500,
    retryable: true,
    description: 'The worker running the job died, and the job ran out of attempts.',
  },
  HANDLER_FAILED: { status: 500, retryable: true, description: 'The handler threw an unexpected error.' },
  ENGINE_CRASHED: {
    status: 500,
    retryable: true,
    description: 'The engine process, or its inference thread, died while running the job.',
  },
  MODEL_UNAVAILABLE: {
    status: 503,
    retryable: true,
    description: 'The model this job needs is missing or failed its checksum.',
  },
  MODEL_MANIFEST_INVALID: {
    status: 503,
    retryable: false,
    description:
      "A model folder's manifest.json cannot be used (a field missing or wrong, labels unlike the model).",
  },
  MEDIA_CORRUPT: {
    status: 422,
    retryable: false,
    description: 'The file could not be decoded (truncated or corrupt).',
  },
  MEDIA_TOO_LARGE: {
    status: 413,
    retryable: false,
    description:
      'The image has more pixels than the configured limit (decompression bomb guard), or the document more pages than the worker reads per job.',
  },
  PDF_ENCRYPTED: {
    status: 422,
    retryable: false,
    description:
      'The PDF needs a password to open (a user password); one with only an owner password (print/copy restrictions) is read.',
  },
  LLM_PROVIDER_REQUIRED: {
    status: 501,
    retryable: false,
    description:
      'The job type needs a generative LLM and this deployment configures none (LLM_PROVIDER, or LLM_PROVIDER_<JOB>).',
  },
  LLM_PROVIDER_UNAVAILABLE: {
    status: 503,
    retryable: true,
    description:
      'The LLM provider did not answer in time, failed, kept rate-limiting, or its circuit breaker is open; details.reason says which.',
  },
  LLM_PROVIDER_REJECTED: {
    status: 502,
    retryable: false,
    description:
      'The LLM provider refused the request (bad API key, unknown model, prompt over its context window).',
  },
  OUTPUT_INVALID: {
    status: 502,
    retryable: false,
    description:
      'The model kept answering with output that does not match the requested JSON Schema; details list the last errors.',
  },
  LANGUAGE_UNSUPPORTED: {
    status: 422,
    retryable: false,
    description: 'The text is in a language the engine does not read; details.language names the one found.',
  },
  EXAMPLES_REQUIRED: {
    status: 422,
    retryable: false,
    description:
      'The local provider learns labels and intents from examples, and some have none; details list them (or configure an LLM).',
  },
  DATASET_INVALID: {
    status: 422,
    retryable: false,
    description:
      'The training file cannot be used (malformed rows, named by line; missing or mistyped columns; too few rows).',
  },
  DATASET_ONE_CLASS: {
    status: 422,
    retryable: false,
    description: 'The training labels hold one class only, so there is nothing to tell apart.',
  },
  ITEM_NOT_FOUND: {
    status: 404,
    retryable: false,
    description: 'The recommender model has never seen this item, so it has no similar items for it.',
  },
  MODEL_NOT_FOUND: {
    status: 404,
    retryable: false,
    description: 'The model registry has no model of this name.',
  },
  MODEL_VERSION_NOT_FOUND: {
    status: 404,
    retryable: false,
    description: 'The registry has no such model version (or no promoted one to default to).',
  },
  SERIES_INVALID: {
    status: 422,
    retryable: false,
    description: 'The time series cannot be forecast (too short, bad values, bad timestamps).',
  },
} as const satisfies Record<string, { status: number; retryable: boolean; description: string }>;

export type ErrorCode = keyof typeof errorCodes;

export const isErrorCode = (code: unknown): code is ErrorCode =>
  typeof code === 'string' && Object.hasOwn(errorCodes, code);
