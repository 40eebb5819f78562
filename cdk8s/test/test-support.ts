// Shared by the cdk8s tests (not a test itself): the synthesized objects,
// YAML loading, the Helm binary, workload helpers.
import { execFileSync } from 'node:child_process';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { CHART_DIR, ROOT, cachedTool } from '../src/model/paths.ts';
import { buildApp, manifests } from '../src/app.ts';
import { DEV_VALUES, type Values } from '../src/model/values.ts';

export type Obj = Record<string, any>;

export { ROOT };

const cache = new Map<string, Obj[]>();

/** The objects of the app for some values (in memory, no files); releaseNamespace stands for Helm's where a namespace value is empty. */
export function objects(values: Values = DEV_VALUES, releaseNamespace?: string): Obj[] {
  const key = JSON.stringify([values, releaseNamespace]);
  if (!cache.has(key)) cache.set(key, manifests(buildApp({ values, releaseNamespace, root: ROOT })) as Obj[]);
  return structuredClone(cache.get(key)!);
}

/** `helm template` arguments for the layout the plain build of DEV_VALUES has (make dev's three namespaces). */
export const THREE_NAMESPACES_ARGS = ['-f', join(CHART_DIR, 'values-three-namespaces.yaml')];

export function parseYamlDocs(text: string): Obj[] {
  return parseAllDocuments(text)
    .map((d) => {
      if (d.errors.length) throw new Error(d.errors.map((e) => e.message).join('; '));
      return d.toJSON() as Obj | null;
    })
    .filter((d): d is Obj => d !== null && d !== undefined);
}

export function loadYamlDir(dir: string): Obj[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith('.yaml'))
    .sort()
    .flatMap((f) => parseYamlDocs(readFileSync(join(dir, f), 'utf8')));
}

/** All files under dir, relative paths, sorted. */
export function listFiles(dir: string, prefix = ''): string[] {
  return readdirSync(dir)
    .sort()
    .flatMap((f) => (statSync(join(dir, f)).isDirectory() ? listFiles(join(dir, f), `${prefix}${f}/`) : [`${prefix}${f}`]));
}

export const id = (o: Obj): string => `${o.kind}/${o.metadata?.namespace ?? '-'}/${o.metadata?.name}`;

/** Objects keyed and ordered by kind/namespace/name, for comparisons. */
export function byId(list: Obj[]): Map<string, Obj> {
  return new Map([...list].sort((a, b) => id(a).localeCompare(id(b))).map((o) => [id(o), o]));
}

let helmPath: string | undefined;
/** Helm 4 (HELM_VERSION) from scripts/tools/helm.sh: built once into the cache (a minute or two), instant after. */
export function helm(): string {
  helmPath ??= cachedTool('helm.sh');
  return helmPath;
}

let helm3Path: string | undefined;
/** Helm 3 (HELM3_VERSION, the last approved Helm 3 release): users on Helm 3 get the same chart. */
export function helm3(): string {
  helm3Path ??= cachedTool('helm.sh', '--helm3');
  return helm3Path;
}

export function run(cmd: string, args: string[], opts: { cwd?: string } = {}): string {
  return execFileSync(cmd, args, { encoding: 'utf8', cwd: opts.cwd ?? ROOT, stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 64 * 2 ** 20 });
}

export const WORKLOAD_KINDS = new Set(['Deployment', 'StatefulSet', 'DaemonSet', 'Job']);

export function workloads(list: Obj[]): Obj[] {
  return list.filter((o) => WORKLOAD_KINDS.has(o.kind));
}

/** Every pod template: our workloads, plus the pods Strimzi makes from the Kafka resources (their templates). */
export interface PodTemplate {
  owner: string;
  namespace: string;
  labels: Record<string, string>;
  spec: Obj;
}

export function podTemplates(list: Obj[]): PodTemplate[] {
  return workloads(list).map((o) => ({
    owner: id(o),
    namespace: o.metadata.namespace,
    labels: o.spec.template.metadata?.labels ?? {},
    spec: o.spec.template.spec,
  }));
}

export function matches(selector: Record<string, string> | undefined, labels: Record<string, string>): boolean {
  return Object.entries(selector ?? {}).every(([k, v]) => labels[k] === v);
}
