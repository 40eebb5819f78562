// A real kube-apiserver (+ etcd) for a test file, through
// scripts/kubernetes/k8s-test-env.sh (make k8s-test-tools builds them): its
// kubeconfig has the contexts shop-test (admin, system:masters) and
// shop-test-no-rights (a user no RBAC binding names). Start it in before(),
// stop it in after().
import { execFile } from 'node:child_process';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { delimiter, dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { KIT_DIR } from './process.ts';

const run = promisify(execFile);
const K8S_TEST_ENV = join(KIT_DIR, '..', '..', 'scripts', 'kubernetes', 'k8s-test-env.sh');

export interface KubeApiServer {
  dir: string;
  kubeconfig: string;
  stop(): Promise<void>;
}

export async function startKubeApiServer(): Promise<KubeApiServer> {
  const dir = await mkdtemp(join(tmpdir(), 'shop-k8s-'));
  // The script picks free ports with node: the one running these tests.
  const env = { ...process.env, PATH: `${dirname(process.execPath)}${delimiter}${process.env.PATH ?? ''}` };
  const { stdout } = await run('bash', [K8S_TEST_ENV, 'start', dir], { timeout: 120_000, env });
  return {
    dir,
    kubeconfig: stdout.trim().split('\n').pop()!,
    stop: async () => {
      await run('bash', [K8S_TEST_ENV, 'stop', dir], { timeout: 60_000 });
    },
  };
}
