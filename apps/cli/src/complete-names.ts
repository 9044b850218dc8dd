import type { GantryClient } from '@gantry/client';

/** A completion waits at most this long for the gateway: a shell's Tab must not hang. */
const askForMs = 1_500;

export type NameKind = 'type' | 'queue';

/**
 * Which kind of name the word being completed is: a job type (`gantry run <type>`), a queue
 * (`gantry queues pause|resume <queue>`), or neither (null: commands and options complete as usual).
 * `words` are the command words before the one being completed.
 */
export function nameKindAt(words: readonly string[]): NameKind | null {
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
