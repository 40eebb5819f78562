// Paths the tests need, relative to this checkout; the Strimzi CRDs come from
// the tool cache, as for the cdk8s tests (cdk8s/src/model/paths.ts).
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { strimziCrdDir } from '@shop/cdk8s/paths';

export { strimziCrdDir };

export const CLI_DIR = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const ROOT = resolve(CLI_DIR, '..');
export const SHOPCTL_BIN = join(CLI_DIR, 'bin', 'shopctl.js');
/** The plain manifests the cdk8s app synthesizes (checked in by cdk8s/). */
export const CDK8S_MANIFESTS_DIR = join(ROOT, 'cdk8s', 'manifests');
