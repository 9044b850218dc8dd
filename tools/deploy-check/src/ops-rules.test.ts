import { execFile } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { repoRoot } from './repo-root.js';

// The alert rules and the dashboard in ops/, checked by Prometheus's own promtool (Debian package
// `prometheus`), and every metric they read checked against what the code registers.
const run = promisify(execFile);
const promtool = ['/usr/bin/promtool', '/usr/local/bin/promtool'].find((candidate) => existsSync(candidate));
const rulesFile = path.join(repoRoot, 'ops/prometheus/gantry-alerts.yaml');
const dashboard = JSON.parse(
  readFileSync(path.join(repoRoot, 'ops/grafana/gantry-dashboard.json'), 'utf8'),
) as {
  panels: { title: string; targets: { expr: string }[] }[];
};
const dashboardExprs = dashboard.panels.flatMap((panel) => panel.targets.map((target) => target.expr));
const rules = (
  parse(readFileSync(rulesFile, 'utf8')) as { groups: { rules: { alert: string; expr: string }[] }[] }
).groups.flatMap((group) => group.rules);

/** Every `name: 'gantry_…'` a metric is registered with in apps/ and libs/ (tests left out). */
function registeredGantryMetrics(): Set<string> {
  const names = new Set<string>();
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir)) {
      const file = path.join(dir, entry);
      if (entry === 'node_modules' || entry === 'dist') continue;
      if (statSync(file).isDirectory()) walk(file);
      else if (file.endsWith('.ts') && !file.includes('.test.'))
        for (const match of readFileSync(file, 'utf8').matchAll(/name: '(gantry_\w+)'/g))
          names.add(match[1] ?? '');
    }
  };
  for (const root of ['apps', 'libs']) walk(path.join(repoRoot, root));
  return names;
}

describe('ops/', () => {
  it('reads only metrics the gateway and the workers register', () => {
    const registered = registeredGantryMetrics();
    expect(registered).toContain('gantry_queue_jobs');
    const used = [...rules.map((rule) => rule.expr), ...dashboardExprs].flatMap((expr) =>
      [...expr.matchAll(/\b(gantry_\w+)/g)].map((match) =>
        (match[1] ?? '').replace(/_(bucket|sum|count)$/, ''),
      ),
    );
    expect(used.length).toBeGreaterThan(10);
    for (const name of used) expect(registered, name).toContain(name);
    // The one non-Gantry series: prom-client's default event loop metric, registered with every registry.
    expect(
      readFileSync(path.join(repoRoot, 'node_modules/prom-client/lib/metrics/eventLoopLag.js'), 'utf8'),
    ).toContain('nodejs_eventloop_lag_p99_seconds');
  });

  it('alerts on a growing backlog, failures, a queue with no ready worker and the recorder', () => {
    expect(rules.map((rule) => rule.alert).sort()).toEqual(
      [
        'GantryJobFailureRatio',
        'GantryNoReadyWorker',
        'GantryQueueBacklogGrowing',
        'GantryRecorderBacklog',
        'GantryRecorderLagging',
      ].sort(),
    );
  });

  // Without promtool (Debian's `prometheus` package) these are skipped, and the skip says why.
  describe.skipIf(!promtool)(
    promtool ? 'with promtool' : 'without promtool: apt-get install prometheus',
    () => {
      let scratch: string;
      beforeAll(async () => {
        scratch = await mkdtemp(path.join(tmpdir(), 'gantry-promtool-'));
      });
      afterAll(async () => {
        await rm(scratch, { recursive: true, force: true });
      });

      it('passes `promtool check rules`', async () => {
        const { stdout } = await run(promtool ?? 'promtool', ['check', 'rules', rulesFile]);
        expect(stdout).toContain(`SUCCESS: ${rules.length} rules found`);
      });

      it('passes the rules’ unit tests (`promtool test rules`)', async () => {
        const { stdout } = await run(promtool ?? 'promtool', ['test', 'rules', 'gantry-alerts.test.yaml'], {
          cwd: path.join(repoRoot, 'ops/prometheus'),
        });
        expect(stdout).toContain('SUCCESS');
      });

      it('parses every dashboard query as PromQL (as recording rules, which promtool checks)', async () => {
        const file = path.join(scratch, 'dashboard-queries.yaml');
        const recording = dashboardExprs.map((expr, index) => ({
          record: `dashboard:query_${index}`,
          expr: expr.replaceAll('$queue', '.+'),
        }));
        await writeFile(file, JSON.stringify({ groups: [{ name: 'dashboard', rules: recording }] }));
        const { stdout } = await run(promtool ?? 'promtool', ['check', 'rules', file]);
        expect(stdout).toContain(`SUCCESS: ${recording.length} rules found`);
      });
    },
  );
});
