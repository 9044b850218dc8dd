import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { createInterface } from 'node:readline';
import type { BenchRun } from '../bench-run.js';
import { markdownTable, num, type Section } from '../report-format.js';

interface HeldOut {
  model: string;
  heldOut: string;
  accuracy: string;
  macroF1: string;
  classes: { label: string; precision: string; recall: string; f1: string; support: string }[];
  baselines: string[];
}

const title = '6. Sentiment model: held-out accuracy by class';

/** The `evaluate` target of tools/sentiment-model, as its package.json declares it. */
function evaluateCommand(projectDir: string): string[] | null {
  const manifest = path.join(projectDir, 'package.json');
  if (!existsSync(manifest)) return null;
  const pkg = JSON.parse(readFileSync(manifest, 'utf8')) as {
    nx?: { targets?: { evaluate?: { command?: string } } };
  };
  return pkg.nx?.targets?.evaluate?.command?.split(/\s+/) ?? null;
}

/**
 * Scenario 6: runs the sentiment model's own evaluation and keeps its first report — the embedded
 * model on the held-out split — plus the baselines' accuracy printed right after; the evaluation is
 * stopped there (the cross-validation that follows retrains the model several times).
 */
export async function sentimentScenario(run: BenchRun): Promise<Section> {
  const projectDir = path.join(run.repoRoot, 'tools/sentiment-model');
  const command = evaluateCommand(projectDir);
  if (!command || command[0] !== 'node') {
    return { title, lines: ['Skipped: tools/sentiment-model has no `evaluate` target.'] };
  }
  const report = await readHeldOut(command.slice(1), projectDir);
  if (typeof report === 'string') return { title, lines: [`Did not complete: ${report}`] };
  return {
    title,
    lines: [
      ...markdownTable(
        ['class', 'held-out texts', 'recall (accuracy on the class)', 'precision', 'F1'],
        report.classes.map((c) => [c.label, c.support, c.recall, c.precision, c.f1]),
      ),
      '',
      `\`${report.model}\`, ${report.heldOut} held-out texts: accuracy **${report.accuracy}**, macro F1 ${report.macroF1}. ` +
        `Baselines on the same split: ${report.baselines.join('; ')}. From \`nx run @gantry/sentiment-model:evaluate\`'s script.`,
    ],
  };
}

function readHeldOut(args: string[], cwd: string): Promise<HeldOut | string> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, args, { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    const report: HeldOut = { model: '', heldOut: '', accuracy: '', macroF1: '', classes: [], baselines: [] };
    let block: 'model' | 'other' | null = null;
    let errors = '';
    let settled = false;
    const finish = (value: HeldOut | string) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      if (child.exitCode === null) child.kill('SIGTERM');
      resolve(value);
    };
    const timer = setTimeout(() => finish('the evaluation took longer than 120 s'), 120_000);
    child.stderr.on('data', (chunk: Buffer) => (errors += chunk.toString()));
    createInterface({ input: child.stdout }).on('line', (line) => {
      const header = /^(\S+): \d+ texts, (\d+) held out/.exec(line);
      const split = /^Held-out split, (.+): accuracy ([\d.]+), macro F1 ([\d.]+)/.exec(line);
      const row = /^\s+(\w+)\s+([\d.]+)\s+([\d.]+)\s+([\d.]+)\s+(\d+)\s/.exec(line);
      if (header) [, report.model = '', report.heldOut = ''] = header;
      else if (split && split[1] === 'embedded model') {
        block = 'model';
        [, , report.accuracy = '', report.macroF1 = ''] = split;
      } else if (split) {
        block = 'other';
        report.baselines.push(`${split[1]} ${num(Number(split[2]), 3)}`);
        if (report.baselines.length === 2) finish(report);
      } else if (row && block === 'model') {
        const [, label = '', precision = '', recall = '', f1 = '', support = ''] = row;
        report.classes.push({ label, precision, recall, f1, support });
      }
    });
    child.once('close', (code) => {
      if (report.classes.length > 0 && report.baselines.length > 0) finish(report);
      else
        finish(
          `evaluate exited (${code}) before printing the held-out report: ${errors.trim().split('\n').at(-1) ?? ''}`,
        );
    });
  });
}
