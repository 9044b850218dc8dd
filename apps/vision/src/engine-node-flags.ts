/**
 * Flags the vision worker's engine processes start with (and bench scenario 19's detector process).
 *
 * `--single-threaded-gc`: V8 otherwise marks and sweeps on four helper threads beside the main one.
 * A detection job leaves ~1.6 MB of buffers behind per image (onnxruntime-node copies each output into
 * a fresh 1.2 MB array; sharp's pixels are 0.4 MB), and that external memory alone sets off a full
 * collection every few batches. On the two cores an engine process shares with the rest of a worker,
 * the helpers cost more CPU than they spare the main thread: measured in process (dog.jpg, batches
 * of 1, 4 and 8 taking turns, four runs each way alternated) the flag took 4–9 % off the CPU of a
 * detection in three runs of four (the fourth read 2 % more), and the preprocessing of the call
 * after a batch of 8, where that collection used to land, fell from 23–30 ms of CPU to 12–17, as
 * at the other sizes.
 */
export const visionEngineNodeFlags: readonly string[] = ['--single-threaded-gc'];
