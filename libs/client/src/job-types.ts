import type {
  BlobRef,
  CatalogueContract,
  ErrorInfo,
  JobInputRequest,
  JobObject,
  JobOutput,
  JobProgress,
  JobStatus,
  ModelInfo,
  TerminalStatus,
} from '@gantry/contracts';

/** The job types this client was built with; any other string is an announced type, typed loosely. */
export type JobTypeName = CatalogueContract['type'];

/** A job type's name, with completion for the built-in ones and room for announced ones. */
export type AnyJobType = JobTypeName | (string & {});

type ContractOf<T extends string> = Extract<CatalogueContract, { type: T }>;

/** The input a caller writes for `T` (defaults optional), inferred from its zod contract. */
export type InputOf<T extends string> = T extends JobTypeName
  ? JobInputRequest<ContractOf<T>>
  : Record<string, unknown>;

/** The output of a `T` job that succeeded, inferred from its zod contract. */
export type OutputOf<T extends string> = T extends JobTypeName ? JobOutput<ContractOf<T>> : unknown;

type BlobKeys<I> = { [K in keyof I]-?: NonNullable<I[K]> extends BlobRef ? K : never }[keyof I];

/** The input of `run`/`submit`: a field that takes a file may come from the `file` option instead. */
export type SubmitInput<T extends string> =
  InputOf<T> extends infer I ? Omit<I, BlobKeys<I>> & Partial<Pick<I, BlobKeys<I>>> : never;

/** A job as the API answers it, with `T`'s input and output. */
export type Job<T extends string = AnyJobType> = Omit<JobObject, 'type' | 'input' | 'output'> & {
  type: T;
  input: InputOf<T>;
  output: OutputOf<T> | null;
};

/** One Server-Sent Event of a job's stream, by name. */
export type JobEvent<T extends string = AnyJobType> = { id: string } & (
  | { event: 'status'; data: Partial<Job<T>> & { status: JobStatus } }
  | { event: 'progress'; data: JobProgress }
  | { event: 'output'; data: { output: OutputOf<T>; model: ModelInfo | null } }
  | { event: 'error'; data: ErrorInfo & { will_retry: boolean; retry_in_ms?: number } }
  | { event: 'completed'; data: { status: TerminalStatus } }
);

export interface JobPage<T extends string = AnyJobType> {
  data: Job<T>[];
  next_cursor: string | null;
}

/** One recorded status change of a job (`history(id)`), with what it carried: attempt and worker, error… */
export type { JobHistoryEntry } from '@gantry/contracts';
