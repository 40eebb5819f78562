// Paths shared by the entry points (bin/), the library and the tests: inside
// the repository, or in the tool cache that scripts/tools/ fills from the
// package registries.
import { execFileSync } from 'node:child_process';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** cdk8s/ */
export const CDK8S_DIR = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
/** The repository root. */
export const ROOT = resolve(CDK8S_DIR, '..');
/**
 * A file or directory a script under scripts/tools/ fetches or builds into
 * the cache (~/.cache/otel-shop, by version) and prints: instant once
 * cached, the first time it takes what the script says.
 */
export function cachedTool(script: string, ...args: string[]): string {
  return execFileSync('bash', [join(ROOT, 'scripts', 'tools', script), ...args], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] }).trim();
}

/** The CRDs our app instantiates (KafkaUser is not used). */
export const STRIMZI_CRD_NAMES = ['040-Crd-kafka.yaml', '043-Crd-kafkatopic.yaml', '045-Crd-kafkanodepool.yaml'] as const;
/** The Strimzi CRDs, generated from Maven Central by scripts/tools/strimzi-crds.sh. */
export const strimziCrdDir = (): string => cachedTool('strimzi-crds.sh');
export const strimziCrdFiles = (): string[] => STRIMZI_CRD_NAMES.map((f) => join(strimziCrdDir(), f));
/** The Prometheus Operator's PrometheusRule CRD, from its Go module (scripts/tools/prometheus-operator-crds.sh). */
export const prometheusRuleCrdFile = (): string => join(cachedTool('prometheus-operator-crds.sh'), 'monitoring.coreos.com_prometheusrules.yaml');
/** skaffold's config schema, from the skaffold module (scripts/tools/skaffold-schema.sh). */
export const skaffoldSchema = (): string => cachedTool('skaffold-schema.sh');

/** Plain manifests, one file per cdk8s chart (what skaffold applies); checked in. */
export const MANIFESTS_DIR = join(CDK8S_DIR, 'manifests');
/** The Helm chart synthesized from the same app. */
export const CHART_DIR = join(ROOT, 'charts', 'otel-shop');
/** Values for the Strimzi operator's own Helm chart (sizes come from cdk8s/src/model/sizing.ts). */
export const STRIMZI_VALUES_FILE = join(ROOT, 'charts', 'strimzi-operator.values.yaml');

export const CDK8S_CLI = join(ROOT, 'node_modules', 'cdk8s-cli', 'bin', 'cdk8s');
