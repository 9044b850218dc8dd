import { readFileSync } from 'node:fs';
import path from 'node:path';
import { loadGatewayEnv } from '@gantry/gateway';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { readDockerfile } from './read-dockerfile.js';
import { repoRoot } from './repo-root.js';

// docker/compose.yml against the Dockerfile it builds from and the settings Gantry relies on.
interface Service {
  image?: string;
  command?: string[];
  profiles?: string[];
  build?: { context: string; dockerfile: string; target: string };
  environment?: Record<string, string>;
  stop_grace_period?: string;
}
const compose = parse(readFileSync(path.join(repoRoot, 'docker/compose.yml'), 'utf8'), { merge: true }) as {
  services: Record<string, Service>;
};
const targets = new Set(
  readDockerfile(readFileSync(path.join(repoRoot, 'docker/Dockerfile'), 'utf8')).map((stage) => stage.name),
);

describe('docker/compose.yml', () => {
  it('runs Redis with AOF synced on every write and no eviction, and PostgreSQL', () => {
    expect(compose.services['redis']?.command?.join(' ')).toContain(
      '--appendonly yes --appendfsync always --maxmemory-policy noeviction',
    );
    expect(compose.services['postgres']?.image).toMatch(/^postgres:/);
  });

  it('builds the gateway and the four workers from their Dockerfile targets, the GPU worker behind a profile', () => {
    const built = Object.entries(compose.services).filter(([, service]) => service.build);
    expect(built.map(([name]) => name).sort()).toEqual([
      'gateway',
      'llm',
      'ocr',
      'predictive',
      'vision',
      'vision-gpu',
    ]);
    for (const [name, service] of built) {
      expect(service.build).toEqual({ context: '..', dockerfile: 'docker/Dockerfile', target: name });
      expect(targets.has(name)).toBe(true);
      expect(service.profiles ?? []).toEqual(name.endsWith('-gpu') ? ['gpu'] : []);
    }
    expect(compose.services['vision-gpu']?.environment?.['WORKER_DEVICE']).toBe('gpu');
  });

  it('gives the gateway a webhook secret key it accepts, which the shell or an .env file overrides', () => {
    const setting = compose.services['gateway']?.environment?.['WEBHOOK_SECRET_KEY'] ?? '';
    const [, fallback = ''] = /^\$\{WEBHOOK_SECRET_KEY:-(.+)\}$/.exec(setting) ?? [];
    expect(() =>
      loadGatewayEnv({ DATABASE_URL: 'postgres://unused', WEBHOOK_SECRET_KEY: fallback }),
    ).not.toThrow();
    for (const name of ['ocr', 'llm', 'vision', 'predictive', 'vision-gpu']) {
      expect(compose.services[name]?.environment ?? {}).not.toHaveProperty('WEBHOOK_SECRET_KEY');
    }
  });

  it('gives workers longer to stop than their drain grace', () => {
    for (const name of ['ocr', 'llm', 'vision', 'predictive', 'vision-gpu']) {
      const service = compose.services[name];
      const grace = Number(service?.environment?.['WORKER_SHUTDOWN_GRACE_MS']);
      expect(Number.parseInt(service?.stop_grace_period ?? '0', 10) * 1_000).toBeGreaterThan(grace);
    }
  });
});
