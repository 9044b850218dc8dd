import { loadGatewayEnv } from '@gantry/gateway';
import { loadWorkerEnv } from '@gantry/queue-runtime';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  type K8sObject,
  kubectl,
  named,
  ofKind,
  type Overlay,
  overlays,
  renderOverlay,
} from './render-overlay.js';
import { validateK8sObject } from './validate-k8s-object.js';

// Renders every overlay with the real kubectl (kustomize) and checks the objects against the Kubernetes and
// KEDA schemas, then against what the code really serves: ports from the apps' own env parsers, grace periods
// from the ConfigMap the pods read.
const workers = ['ocr', 'llm', 'vision', 'predictive'] as const;
const rendered = new Map<Overlay, K8sObject[]>();

beforeAll(async () => {
  if (kubectl) for (const overlay of overlays) rendered.set(overlay, await renderOverlay(overlay));
});
const withKubectl = describe.skipIf(!kubectl);
const needs = kubectl ? '' : ' (skipped: no kubectl on PATH to render the overlays)';

const objects = (overlay: Overlay) => rendered.get(overlay) ?? [];
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- read loosely, validated by the schemas
const podSpec = (deployment: K8sObject): any => deployment.spec.template.spec;
const config = (overlay: Overlay): Record<string, string> => {
  const map = ofKind(objects(overlay), 'ConfigMap').find((each) =>
    each.metadata.name.startsWith('gantry-config'),
  );
  return map?.data ?? {};
};

withKubectl.each(overlays)(`overlay %s${needs}`, (overlay) => {
  it('renders objects that each pass their Kubernetes or KEDA schema', () => {
    expect(objects(overlay).length).toBeGreaterThan(20);
    for (const object of objects(overlay)) validateK8sObject(object);
    expect(new Set(objects(overlay).map((object) => object.metadata.namespace ?? 'gantry'))).toEqual(
      new Set(['gantry']),
    );
  });

  it('probes the gateway where it serves /healthz and /readyz, and exposes /metrics on its own port', () => {
    const gateway = named(objects(overlay), 'Deployment', 'gantry-gateway');
    const container = podSpec(gateway).containers[0];
    const env = loadGatewayEnv({
      ...config(overlay),
      DATABASE_URL: 'postgres://unused',
      WEBHOOK_SECRET_KEY: '00'.repeat(32),
    });
    expect(container.ports).toEqual([
      { name: 'http', containerPort: env.GATEWAY_PORT },
      { name: 'metrics', containerPort: env.GATEWAY_METRICS_PORT },
    ]);
    expect(container.readinessProbe.httpGet).toEqual({ path: '/readyz', port: 'http' });
    expect(container.livenessProbe.httpGet).toEqual({ path: '/healthz', port: 'http' });
    expect(named(objects(overlay), 'Service', 'gantry-gateway').spec.ports[0].targetPort).toBe('http');
  });

  it('lets a stopping gateway serve until the Service drops it, then drain, before the kubelet kills it', () => {
    const spec = podSpec(named(objects(overlay), 'Deployment', 'gantry-gateway'));
    const env = loadGatewayEnv({
      ...config(overlay),
      DATABASE_URL: 'postgres://unused',
      WEBHOOK_SECRET_KEY: '00'.repeat(32),
    });
    const pause = spec.containers[0].lifecycle.preStop.sleep.seconds;
    expect(pause).toBeGreaterThanOrEqual(3);
    // The pause, then GATEWAY_DRAIN_S of drain, then closing its clients: SIGKILL must come later.
    expect(spec.terminationGracePeriodSeconds).toBeGreaterThanOrEqual(pause + env.GATEWAY_DRAIN_S + 10);
  });

  it('gives the gateway its secrets from the Secret, never from the ConfigMap', () => {
    const container = podSpec(named(objects(overlay), 'Deployment', 'gantry-gateway')).containers[0];
    const fromSecret = (name: string) =>
      (
        container.env as { name: string; valueFrom?: { secretKeyRef?: { name: string; key: string } } }[]
      ).find((each) => each.name === name)?.valueFrom?.secretKeyRef;
    for (const name of ['DATABASE_URL', 'WEBHOOK_SECRET_KEY', 'WEBHOOK_SECRET_KEY_PREVIOUS']) {
      expect(fromSecret(name), name).toMatchObject({
        name: expect.stringMatching(/^gantry-secrets/),
        key: name,
      });
      expect(config(overlay), name).not.toHaveProperty(name);
    }
  });

  it.each(workers)(
    'runs the %s worker with probes on its health port and a grace period past its drain',
    (app) => {
      const deployment = named(objects(overlay), 'Deployment', `gantry-${app}`);
      const spec = podSpec(deployment);
      const container = spec.containers[0];
      const env = loadWorkerEnv(config(overlay));
      expect(env.WORKER_HEALTH_PORT).toBeGreaterThan(0);
      expect(container.ports).toEqual([{ name: 'health', containerPort: env.WORKER_HEALTH_PORT }]);
      expect(container.readinessProbe.httpGet).toEqual({ path: '/readyz', port: 'health' });
      expect(container.livenessProbe.httpGet).toEqual({ path: '/healthz', port: 'health' });
      // SIGTERM drains for WORKER_SHUTDOWN_GRACE_MS; the kubelet's SIGKILL must come later, with room to spare.
      expect(spec.terminationGracePeriodSeconds * 1_000).toBeGreaterThanOrEqual(
        env.WORKER_SHUTDOWN_GRACE_MS + 10_000,
      );
      expect(container.resources.requests.cpu).toBeDefined();
      expect(container.resources.limits.memory).toBeDefined();
      expect(spec.securityContext.runAsNonRoot).toBe(true);
      // Workers get Redis only; the database URL stays with the gateway.
      expect(JSON.stringify(container.env)).not.toContain('DATABASE_URL');
    },
  );

  it('gives every Deployment a PodDisruptionBudget and the gateway a CPU autoscaler', () => {
    const budgets = ofKind(objects(overlay), 'PodDisruptionBudget');
    for (const deployment of ofKind(objects(overlay), 'Deployment')) {
      const labels = deployment.spec.template.metadata.labels as Record<string, string>;
      const covering = budgets.filter((budget) =>
        Object.entries(budget.spec.selector.matchLabels as Record<string, string>).every(
          ([key, value]) => labels[key] === value,
        ),
      );
      expect(covering, deployment.metadata.name).toHaveLength(1);
    }
    const hpa = named(objects(overlay), 'HorizontalPodAutoscaler', 'gantry-gateway');
    expect(hpa.spec.scaleTargetRef).toEqual({
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      name: 'gantry-gateway',
    });
    expect(hpa.spec.metrics[0].resource).toMatchObject({ name: 'cpu', target: { type: 'Utilization' } });
  });

  it.each(workers)('scales the %s worker with KEDA on its queue’s replicas needed', (app) => {
    const scaled = named(objects(overlay), 'ScaledObject', `gantry-${app}`);
    expect(scaled.spec.scaleTargetRef).toEqual({ name: `gantry-${app}` });
    expect(scaled.spec.maxReplicaCount).toBeGreaterThan(scaled.spec.minReplicaCount);
    expect(scaled.spec.cooldownPeriod).toBeGreaterThan(0);
    const [trigger, ...others] = scaled.spec.triggers;
    expect(others).toEqual([]);
    expect(trigger.type).toBe('metrics-api');
    // The trigger's metadata is a free-form map to the CRD schema: its keys are checked here.
    expect(Object.keys(trigger.metadata).sort()).toEqual(
      ['activationTargetValue', 'format', 'targetValue', 'url', 'valueLocation'].sort(),
    );
    expect(trigger.metadata).toMatchObject({
      format: 'prometheus',
      valueLocation: `gantry_queue_replicas_needed{queue="${app}"}`,
    });
    expect(new URL(trigger.metadata.url).hostname).toBe('gantry-gateway.gantry.svc.cluster.local');
  });

  it('keeps workers off the internet: their egress names destinations and ports', () => {
    const policy = named(objects(overlay), 'NetworkPolicy', 'gantry-workers');
    expect(policy.spec.policyTypes).toEqual(['Ingress', 'Egress']);
    for (const rule of policy.spec.egress) {
      expect(rule.to?.length, 'an egress rule with no `to` allows every destination').toBeGreaterThan(0);
      expect(rule.ports?.length).toBeGreaterThan(0);
      for (const peer of rule.to) expect(peer.ipBlock?.cidr).not.toBe('0.0.0.0/0');
    }
    expect(named(objects(overlay), 'NetworkPolicy', 'gantry-default-deny').spec).toEqual({
      podSelector: {},
      policyTypes: ['Ingress', 'Egress'],
    });
  });
});

withKubectl(`what differs between overlays${needs}`, () => {
  it('dev brings Redis with AOF synced on every write on a volume, and PostgreSQL', () => {
    const redis = named(objects('dev'), 'StatefulSet', 'redis');
    const args = redis.spec.template.spec.containers[0].args as string[];
    expect(args.join(' ')).toContain('--appendonly yes --appendfsync always --maxmemory-policy noeviction');
    expect(redis.spec.volumeClaimTemplates[0].metadata.name).toBe('data');
    named(objects('dev'), 'StatefulSet', 'postgres');
    const secrets = ofKind(objects('dev'), 'Secret');
    expect(secrets.map((secret) => secret.metadata.name)).toEqual([
      expect.stringMatching(/^gantry-secrets-/),
    ]);
    // The gateway starts with the development key the overlay carries.
    const key = Buffer.from(String(secrets[0]?.data?.['WEBHOOK_SECRET_KEY']), 'base64').toString('utf8');
    expect(() =>
      loadGatewayEnv({ DATABASE_URL: 'postgres://unused', WEBHOOK_SECRET_KEY: key }),
    ).not.toThrow();
  });

  it('prod points at managed Redis and PostgreSQL: nothing stateful in the cluster, egress to their ranges', () => {
    expect(ofKind(objects('prod'), 'StatefulSet')).toEqual([]);
    // The Secret comes from the platform's secret manager, never from the repository.
    expect(ofKind(objects('prod'), 'Secret')).toEqual([]);
    const egress = named(objects('prod'), 'NetworkPolicy', 'gantry-gateway').spec.egress;
    expect(
      egress.flatMap((rule: { to: { ipBlock?: unknown }[] }) => rule.to.map((peer) => peer.ipBlock)),
    ).not.toContain(undefined);
  });

  it('gpu runs vision from the CUDA image on GPU nodes with WORKER_DEVICE=gpu, and leaves the rest as prod', () => {
    const spec = podSpec(named(objects('gpu'), 'Deployment', 'gantry-vision'));
    const container = spec.containers[0];
    expect(container.image).toMatch(/-gpu:/);
    expect(container.resources.limits['nvidia.com/gpu']).toBe('1');
    expect(container.env).toContainEqual({ name: 'WORKER_DEVICE', value: 'gpu' });
    expect(spec.nodeSelector).toEqual({ 'nvidia.com/gpu.present': 'true' });
    expect(spec.tolerations).toContainEqual({
      key: 'nvidia.com/gpu',
      operator: 'Exists',
      effect: 'NoSchedule',
    });
    expect(named(objects('gpu'), 'ScaledObject', 'gantry-vision').spec.minReplicaCount).toBe(1);
    for (const app of ['gateway', 'ocr', 'llm', 'predictive']) {
      expect(podSpec(named(objects('gpu'), 'Deployment', `gantry-${app}`))).toEqual(
        podSpec(named(objects('prod'), 'Deployment', `gantry-${app}`)),
      );
    }
  });
});
