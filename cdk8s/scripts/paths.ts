// Paths shared by the scripts and the tests. Everything is relative to the
// repository, so a fresh clone with shared/ beside it works anywhere.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** cdk8s/ */
export const CDK8S_DIR = resolve(dirname(fileURLToPath(import.meta.url)), '..');
/** The repository root. */
export const ROOT = resolve(CDK8S_DIR, '..');
/**
 * The steering repo's shared/ folder (CRDs, schemas): SHOP_SHARED_DIR, else
 * beside the checkout, else beside the local repository this one was cloned
 * from (CI clones into a scratch directory, away from shared/).
 */
export function findSharedDir(root: string, env: Record<string, string | undefined> = process.env): string {
  if (env.SHOP_SHARED_DIR) return resolve(env.SHOP_SHARED_DIR);
  const beside = join(root, '..', 'shared');
  if (existsSync(beside)) return beside;
  try {
    const origin = execFileSync('git', ['-C', root, 'config', '--get', 'remote.origin.url'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
    // Only a clone of a directory on this machine has a shared/ beside its origin.
    const local = origin.startsWith('file://') ? fileURLToPath(origin) : /^[./]/.test(origin) ? resolve(root, origin) : undefined;
    const besideOrigin = local && join(local, '..', 'shared');
    if (besideOrigin && existsSync(besideOrigin)) return besideOrigin;
  } catch {
    // Not a git checkout, or no origin: the expected place is beside it.
  }
  return beside;
}
export const SHARED_DIR = findSharedDir(ROOT);
export const STRIMZI_CRD_DIR = join(SHARED_DIR, 'crds', 'strimzi-1.2.0');
/** The CRDs our app instantiates (KafkaUser is not used). */
export const STRIMZI_CRD_FILES = ['040-Crd-kafka.yaml', '043-Crd-kafkatopic.yaml', '045-Crd-kafkanodepool.yaml'].map((f) =>
  join(STRIMZI_CRD_DIR, f),
);
export const SKAFFOLD_SCHEMA = join(SHARED_DIR, 'schemas', 'skaffold-v4beta14.json');

export const IMPORTS_DIR = join(CDK8S_DIR, 'imports');
/** Plain manifests, one file per cdk8s chart (what skaffold applies); checked in. */
export const MANIFESTS_DIR = join(CDK8S_DIR, 'manifests');
/** The Helm chart synthesized from the same app. */
export const CHART_DIR = join(ROOT, 'charts', 'otel-shop');
/** Values for the Strimzi operator's own Helm chart (sizes come from cdk8s/src/sizing.ts). */
export const STRIMZI_VALUES_FILE = join(ROOT, 'charts', 'strimzi-operator.values.yaml');

export const CDK8S_CLI = join(ROOT, 'node_modules', 'cdk8s-cli', 'bin', 'cdk8s');
export const TSC = join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc');
