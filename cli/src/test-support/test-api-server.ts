// A real kube-apiserver (+ etcd) for a test file, through
// scripts/kubernetes/k8s-test-env.sh: started in before(), stopped in after().
import { execFile } from 'node:child_process';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { delimiter, dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { loadKubeConfig, type LoadedKubeConfig } from '../kube/kubeconfig.ts';
import { K8S_TEST_ENV } from './repo-paths.ts';

const run = promisify(execFile);

export interface TestApiServer {
  dir: string;
  kubeconfig: string;
  /** The admin context (system:masters). */
  admin: LoadedKubeConfig;
  stop(): Promise<void>;
}

export async function startTestApiServer(): Promise<TestApiServer> {
  const dir = await mkdtemp(join(tmpdir(), 'shopctl-k8s-'));
  // The script picks free ports with node: the one running these tests.
  const env = { ...process.env, PATH: `${dirname(process.execPath)}${delimiter}${process.env.PATH ?? ''}` };
  const { stdout } = await run('bash', [K8S_TEST_ENV, 'start', dir], { timeout: 120_000, env });
  const kubeconfig = stdout.trim().split('\n').pop()!;
  return {
    dir,
    kubeconfig,
    admin: loadKubeConfig({ kubeconfig, context: 'shop-test' }),
    stop: async () => {
      await run('bash', [K8S_TEST_ENV, 'stop', dir], { timeout: 60_000 });
    },
  };
}
