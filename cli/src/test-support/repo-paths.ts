// Paths the tests need, relative to this checkout; the steering repo's
// shared/ is found as the cdk8s scripts find it (cdk8s/scripts/paths.ts).
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { STRIMZI_CRD_DIR } from '../../../cdk8s/scripts/paths.ts';

export { STRIMZI_CRD_DIR };

export const CLI_DIR = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const ROOT = resolve(CLI_DIR, '..');
export const SHOPCTL_BIN = join(CLI_DIR, 'bin', 'shopctl.js');
export const K8S_TEST_ENV = join(ROOT, 'scripts', 'k8s-test-env.sh');
/** The plain manifests the cdk8s app synthesizes (checked in by cdk8s/). */
export const CDK8S_MANIFESTS_DIR = join(ROOT, 'cdk8s', 'manifests');
