/** Whether a write error says the stream's reader has gone: Node ignores SIGPIPE and fails with EPIPE. */
const readerGone = (error: NodeJS.ErrnoException) => error.code === 'EPIPE';

/**
 * What `gantry` does when a reader goes away early, as in `gantry jobs list --all | head -3`: other Unix
 * tools stop quietly there, where Node would end in a stack trace and exit 1, the README's "the job did
 * not succeed".
 * - stdout's reader gone: nobody reads the rest, so `quit` at once, by default with the exit code the
 *   command had reached (0 unless it had already failed).
 * - stderr's reader gone: it carries only progress and messages, so carry on without them; the result
 *   still reaches stdout and the exit code.
 * Other write errors stay uncaught, as before.
 */
export function handleClosedPipes(
  stdout: NodeJS.WritableStream,
  stderr: NodeJS.WritableStream,
  quit: () => void = () => process.exit(),
): void {
  stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (!readerGone(error)) throw error;
    quit();
  });
  stderr.on('error', (error: NodeJS.ErrnoException) => {
    if (!readerGone(error)) throw error;
  });
}
