import { runBash } from './run-cli.js';

// A Tab press, as bash makes it: the words typed so far, the program word first, then the function
// that the script's `complete -F` names.
const pressTab = `
source "$1"; shift
COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1))
_gantry_yargs_completions
printf '%s\\n' "\${COMPREPLY[@]}"`;

/**
 * What bash offers after `gantry <words>` (the last one the word being completed) with the script that
 * `gantry completion` printed to `script` sourced: the words reach the CLI exactly as a shell sends them.
 */
export async function completeInBash(
  script: string,
  words: readonly string[],
  env: Record<string, string>,
): Promise<string[]> {
  const { stdout } = await runBash(pressTab, [script, 'gantry', ...words], env);
  return stdout.split('\n').filter((line) => line !== '');
}
