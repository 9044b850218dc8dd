import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { parseAllDocuments } from 'yaml';
import { repoRoot } from './repo-root.js';

export const overlays = ['dev', 'prod', 'gpu'] as const;

/** kubectl on PATH (its built-in kustomize renders the overlays); tests that need it skip, saying so, without it. */
export const kubectl = (process.env['PATH'] ?? '')
  .split(path.delimiter)
  .map((dir) => path.join(dir, 'kubectl'))
  .find((candidate) => existsSync(candidate));
export type Overlay = (typeof overlays)[number];

/** A rendered Kubernetes object, read loosely: the schema validation types it. */
export interface K8sObject {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string> };
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- manifests are checked by their schemas
  spec?: any;
  data?: Record<string, string>;
}

/** What `kubectl kustomize k8s/overlays/<overlay>` renders: exactly what `kubectl apply -k` would send. */
export async function renderOverlay(overlay: Overlay): Promise<K8sObject[]> {
  const { stdout } = await promisify(execFile)(
    'kubectl',
    ['kustomize', path.join(repoRoot, 'k8s/overlays', overlay)],
    {
      maxBuffer: 16 * 1_048_576,
    },
  );
  return parseAllDocuments(stdout).map((document) => document.toJS() as K8sObject);
}

export const ofKind = (objects: readonly K8sObject[], kind: string) =>
  objects.filter((object) => object.kind === kind);

export function named(objects: readonly K8sObject[], kind: string, name: string): K8sObject {
  const found = objects.find((object) => object.kind === kind && object.metadata.name === name);
  if (!found) throw new Error(`no ${kind} ${name} in the rendered overlay`);
  return found;
}
