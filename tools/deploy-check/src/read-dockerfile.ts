import { Copy, DockerfileParser, type Instruction } from 'dockerfile-ast';

export interface DockerInstruction {
  keyword: string;
  /** The arguments as written, flags left out; a JSON form (`["node", "x.js"]`) is read as its strings. */
  args: string[];
  /** The arguments' text, continuation lines joined. */
  text: string;
  /** `--from=` of a COPY, else null. */
  from: string | null;
  /** ENV's name and value pairs. */
  env: Record<string, string>;
}

export interface DockerStage {
  name: string;
  /** The image or the earlier stage this one starts from, build arguments resolved to their defaults. */
  base: string;
  instructions: DockerInstruction[];
}

/** The stages of a Dockerfile, in order, as a builder reads them. */
export function readDockerfile(text: string): DockerStage[] {
  const dockerfile = DockerfileParser.parse(text);
  const defaults = new Map<string, string>();
  for (const arg of dockerfile.getInitialARGs()) {
    const property = arg.getProperty();
    if (property) defaults.set(property.getName(), property.getValue() ?? '');
  }
  const resolve = (value: string) =>
    value.replace(/\$\{(\w+)\}/g, (_match, name: string) => defaults.get(name) ?? '');
  const stages: DockerStage[] = [];
  for (const instruction of dockerfile.getInstructions()) {
    const keyword = instruction.getKeyword();
    if (keyword === 'FROM') {
      const args = plainArgs(instruction);
      stages.push({
        name: args[2] ?? `stage-${stages.length}`,
        base: resolve(args[0] ?? ''),
        instructions: [],
      });
      continue;
    }
    const stage = stages.at(-1);
    if (!stage) continue;
    stage.instructions.push({
      keyword,
      args: jsonArgs(instruction) ?? plainArgs(instruction).filter((arg) => !arg.startsWith('--')),
      text: instruction.getArgumentsContent() ?? '',
      from: fromFlag(instruction),
      env: keyword === 'ENV' ? envPairs(instruction) : {},
    });
  }
  return stages;
}

/** A target and the stages it is built on, base first. */
export function stageChain(stages: readonly DockerStage[], target: string): DockerStage[] {
  const stage = stages.find((each) => each.name === target);
  if (!stage) throw new Error(`no stage ${target}`);
  const parent = stages.find((each) => each.name === stage.base);
  return parent ? [...stageChain(stages, parent.name), stage] : [stage];
}

const plainArgs = (instruction: Instruction) => instruction.getArguments().map((arg) => arg.getValue());

function jsonArgs(instruction: Instruction): string[] | null {
  const text = (instruction.getArgumentsContent() ?? '').replace(/^(--\S+\s+)*(CMD\s+)?/, '');
  if (!text.startsWith('[')) return null;
  try {
    return JSON.parse(text) as string[];
  } catch {
    return null;
  }
}

function fromFlag(instruction: Instruction): string | null {
  return instruction instanceof Copy ? (instruction.getFromFlag()?.getValue() ?? null) : null;
}

function envPairs(instruction: Instruction): Record<string, string> {
  const pairs: Record<string, string> = {};
  for (const arg of plainArgs(instruction)) {
    const at = arg.indexOf('=');
    if (at > 0) pairs[arg.slice(0, at)] = arg.slice(at + 1);
  }
  return pairs;
}
