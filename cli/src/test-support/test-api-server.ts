// A real kube-apiserver (+ etcd) for a test file (the kit's
// startKubeApiServer), with shopctl's view of its admin context.
import { startKubeApiServer, type KubeApiServer } from '@shop/kit/test/kube-api-server';
import { loadKubeConfig, type LoadedKubeConfig } from '../kube/kubeconfig.ts';

export interface TestApiServer extends KubeApiServer {
  /** The admin context (system:masters). */
  admin: LoadedKubeConfig;
}

export async function startTestApiServer(): Promise<TestApiServer> {
  const server = await startKubeApiServer();
  return { ...server, admin: loadKubeConfig({ kubeconfig: server.kubeconfig, context: 'shop-test' }) };
}
