// Paths shared by the scripts and the tests. Everything is relative to the
// repository, so a fresh clone with shared/ beside it works anywhere.
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** cdk8s/ */
export const CDK8S_DIR = resolve(dirname(fileURLToPath(import.meta.url)), '..');
/** The repository root. */
export const ROOT = resolve(CDK8S_DIR, '..');
/** The steering repo's shared/ folder (CRDs, schemas), beside the checkout. */
export const SHARED_DIR = resolve(process.env.SHOP_SHARED_DIR ?? join(ROOT, '..', 'shared'));
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
