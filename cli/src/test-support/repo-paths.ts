// Paths the tests need, relative to this checkout (a fresh clone with the
// steering repo's shared/ beside it works anywhere; SHOP_SHARED_DIR overrides).
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const CLI_DIR = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const ROOT = resolve(CLI_DIR, '..');
export const SHOPCTL_BIN = join(CLI_DIR, 'bin', 'shopctl.js');
export const K8S_TEST_ENV = join(ROOT, 'scripts', 'k8s-test-env.sh');
export const STRIMZI_CRD_DIR = join(resolve(process.env.SHOP_SHARED_DIR ?? join(ROOT, '..', 'shared')), 'crds', 'strimzi-1.2.0');
/** The plain manifests the cdk8s app synthesizes (checked in by cdk8s/). */
export const CDK8S_MANIFESTS_DIR = join(ROOT, 'cdk8s', 'manifests');
