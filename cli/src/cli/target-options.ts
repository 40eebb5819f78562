// Where the shop is. Local mode (the default) talks to URLs from flags or
// the environment; cluster mode (any of --context, --namespace,
// --kubeconfig) opens its own port-forwards to the gateway and Jaeger
// Services. Names default to the deployment's (cdk8s/src/model/topology.ts).
import type { ParseArgsOptionsConfig } from 'node:util';
import { SERVICES, localServiceUrl } from '@shop/contracts';
import type { KubeTarget } from '../kube/kubeconfig.ts';

export const TARGET_OPTIONS = {
  'gateway-url': { type: 'string' },
  'jaeger-url': { type: 'string' },
  kubeconfig: { type: 'string' },
  context: { type: 'string' },
  namespace: { type: 'string', short: 'n' },
  'jaeger-namespace': { type: 'string' },
  'gateway-service': { type: 'string' },
  'jaeger-service': { type: 'string' },
} as const satisfies ParseArgsOptionsConfig;

export const TARGET_HELP = `Targets (local mode by default):
  --gateway-url URL          gateway base URL ($SHOP_GATEWAY_URL, default ${localServiceUrl('gateway')})
  --jaeger-url URL           Jaeger query base URL ($SHOP_JAEGER_URL, default http://127.0.0.1:16686)
  API key: $SHOP_API_KEY (default local-dev-key locally, dev-only-api-key in a cluster); never printed
Cluster mode (any of these; port-forwards through the API server, closed on exit):
  --context NAME             kube context (default: the kubeconfig's current context)
  --kubeconfig FILE          kubeconfig (default: $KUBECONFIG, then ~/.kube/config)
  -n, --namespace NS         namespace of the services (default shop)
  --jaeger-namespace NS      namespace of Jaeger (default: the services' if Jaeger is there,
                             as the chart installs it by default, else observability)
  --gateway-service NAME     gateway Service (default gateway, port ${SERVICES.gateway.port})
  --jaeger-service NAME      Jaeger query Service (default jaeger, port 16686)`;

export const DEFAULTS = {
  gatewayUrl: localServiceUrl('gateway'),
  jaegerUrl: 'http://127.0.0.1:16686',
  localApiKey: 'local-dev-key',
  // The published, dev-only key of the kind deployment (cdk8s/src/model/credentials.ts).
  clusterApiKey: 'dev-only-api-key',
  namespace: 'shop',
  jaegerNamespace: 'observability',
  gatewayService: 'gateway',
  gatewayPort: SERVICES.gateway.port,
  jaegerService: 'jaeger',
  jaegerPort: 16686,
} as const;

export interface Targets {
  mode: 'local' | 'cluster';
  /** Set when given (flag or env); in cluster mode an unset URL means "port-forward". */
  gatewayUrl: string | undefined;
  jaegerUrl: string | undefined;
  apiKey: string;
  kube: KubeTarget;
  namespace: string;
  /** Unset: the services' namespace if Jaeger is there, else DEFAULTS.jaegerNamespace (jaegerNamespaces). */
  jaegerNamespace: string | undefined;
  gatewayService: string;
  jaegerService: string;
}

type TargetValues = { [K in keyof typeof TARGET_OPTIONS]?: string | undefined };

export function targetsFrom(values: TargetValues, env: NodeJS.ProcessEnv = process.env): Targets {
  const cluster = Boolean(values.context || values.namespace || values.kubeconfig);
  return {
    mode: cluster ? 'cluster' : 'local',
    // In cluster mode only an explicit flag skips the port-forward: a
    // SHOP_GATEWAY_URL exported for local work must not leak into it.
    gatewayUrl: values['gateway-url'] ?? (cluster ? undefined : (env.SHOP_GATEWAY_URL ?? DEFAULTS.gatewayUrl)),
    jaegerUrl: values['jaeger-url'] ?? (cluster ? undefined : (env.SHOP_JAEGER_URL ?? DEFAULTS.jaegerUrl)),
    apiKey: env.SHOP_API_KEY || (cluster ? DEFAULTS.clusterApiKey : DEFAULTS.localApiKey),
    kube: { kubeconfig: values.kubeconfig, context: values.context },
    namespace: values.namespace ?? DEFAULTS.namespace,
    jaegerNamespace: values['jaeger-namespace'],
    gatewayService: values['gateway-service'] ?? DEFAULTS.gatewayService,
    jaegerService: values['jaeger-service'] ?? DEFAULTS.jaegerService,
  };
}

/**
 * Where to look for Jaeger, in order: the namespace given, or the services'
 * (the chart puts everything in the release's namespace by default) and then
 * make dev's telemetry namespace.
 */
export function jaegerNamespaces(targets: Pick<Targets, 'namespace' | 'jaegerNamespace'>): string[] {
  if (targets.jaegerNamespace) return [targets.jaegerNamespace];
  return [...new Set([targets.namespace, DEFAULTS.jaegerNamespace])];
}
