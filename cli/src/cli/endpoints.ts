// Opens what a command needs: the gateway and/or Jaeger as base URLs. In
// cluster mode each is a port-forward that must be closed; `close()` does
// that and is safe to call on every path. The Kubernetes modules load only
// in cluster mode: client-node alone takes about a second to import.
import type { LoadedKubeConfig } from '../kube/kubeconfig.ts';
import type { ServicePortForward } from '../kube/service-port-forward.ts';
import { ServiceNotFoundError } from './errors.ts';
import { DEFAULTS, jaegerNamespaces, type Targets } from './target-options.ts';

export interface Endpoints {
  gatewayUrl: string;
  jaegerUrl: string;
  apiKey: string;
  /** Why a request through a port-forward failed, if the tunnel knows. */
  forwardError(): string | undefined;
  close(): Promise<void>;
}

export async function openEndpoints(targets: Targets, need: { gateway?: boolean; jaeger?: boolean }): Promise<Endpoints> {
  const forwards: ServicePortForward[] = [];
  let kube: LoadedKubeConfig | undefined;
  const forward = async (namespace: string, service: string, port: number) => {
    const { loadKubeConfig } = await import('../kube/kubeconfig.ts');
    const { ServicePortForward } = await import('../kube/service-port-forward.ts');
    kube ??= loadKubeConfig(targets.kube);
    const opened = await ServicePortForward.open(kube, { namespace, service, port });
    forwards.push(opened);
    return opened.url;
  };
  const closeAll = async () => {
    await Promise.all(forwards.map((f) => f.close()));
  };
  try {
    let gatewayUrl = targets.gatewayUrl ?? '';
    let jaegerUrl = targets.jaegerUrl ?? '';
    if (need.gateway && !gatewayUrl) gatewayUrl = await forward(targets.namespace, targets.gatewayService, DEFAULTS.gatewayPort);
    if (need.jaeger && !jaegerUrl) {
      const candidates = jaegerNamespaces(targets);
      for (const [i, namespace] of candidates.entries()) {
        try {
          jaegerUrl = await forward(namespace, targets.jaegerService, DEFAULTS.jaegerPort);
          break;
        } catch (error) {
          // No Jaeger Service here: the next place it may be.
          if (!(error instanceof ServiceNotFoundError) || i === candidates.length - 1) throw error;
        }
      }
    }
    return {
      gatewayUrl,
      jaegerUrl,
      apiKey: targets.apiKey,
      forwardError: () => forwards.map((f) => f.lastError).find(Boolean),
      close: closeAll,
    };
  } catch (error) {
    await closeAll();
    throw error;
  }
}
