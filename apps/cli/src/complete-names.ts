import type { GantryClient } from '@gantry/client';

/** A completion waits at most this long for the gateway: a shell's Tab must not hang. */
const askForMs = 1_500;

export type NameKind = 'type' | 'queue';

/** The commands whose next word is a name the gateway knows. */
const namingCommands: ReadonlySet<string> = new Set(['run', 'queues']);

/**
 * Which kind of name the word being completed is: a job type (`gantry run <type>`), a queue
 * (`gantry queues pause|resume <queue>`), or neither (null: commands and options complete as usual).
 * `words` are the command words before the one being completed. The shells' scripts send the program
 * word first, as typed (`gantry`, a path, an alias); a caller may leave it out, so it is dropped when
 * there: it is never `run` or `queues`.
 */
export function nameKindAt(typed: readonly string[]): NameKind | null {
  const words = namingCommands.has(typed[0] ?? '') ? typed : typed.slice(1);
  const [command, sub] = words;
  if (command === 'run' && words.length === 1) return 'type';
  if (command === 'queues' && (sub === 'pause' || sub === 'resume') && words.length === 2) return 'queue';
  return null;
}

/**
 * The job types or queues the gateway serves now, so that types announced by workers complete too;
 * none when it does not answer in time.
 */
export async function askNames(kind: NameKind, client: () => Promise<GantryClient>): Promise<string[]> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<[]>((resolve) => (timer = setTimeout(() => resolve([]), askForMs)));
  try {
    const types = await Promise.race([client().then((gantry) => gantry.types()), late]);
    return [...new Set(types.map((type) => (kind === 'type' ? type.type : type.queue)))].sort();
  } catch {
    return [];
  } finally {
    clearTimeout(timer);
  }
}
