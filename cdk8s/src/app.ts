// The whole stack as one cdk8s App: one Chart per concern, each synthesized
// to its own file (cdk8s/manifests/<chart>.k8s.yaml, or the Helm chart's
// templates/). The numeric prefixes order `kubectl apply`: namespaces first.
import { App, Chart, type AppProps } from 'cdk8s';
import { Construct } from 'constructs';
import { DevCredentials } from './credentials.ts';
import { Grafana } from './constructs/grafana.ts';
import { Jaeger } from './constructs/jaeger.ts';
import { KafkaCluster } from './constructs/kafka.ts';
import { KindAccess } from './constructs/kind-access.ts';
import { Autoscalers, Microservice, serviceVersion } from './constructs/microservice.ts';
import { Namespaces } from './constructs/namespaces.ts';
import { NetworkPolicies } from './constructs/network-policies.ts';
import { OtelCollector } from './constructs/otel-collector.ts';
import { Postgres } from './constructs/postgres.ts';
import { Prometheus } from './constructs/prometheus.ts';
import { Redis } from './constructs/redis.ts';
import { SERVICE_NAMES } from './topology.ts';
import { DEV_VALUES, helmValues, type Values } from './values.ts';

export type SynthMode = 'plain' | 'helm';

/** Charts that exist only when a boolean value is on: Helm wraps their file in an `if`. */
export const TOGGLED_CHARTS: Record<string, string> = {
  '01-dev-credentials': 'devCredentials.create',
  '45-autoscaling': 'autoscaling.enabled',
  '60-kind-access': 'kindNodePorts.enabled',
};

export interface BuildOptions {
  values?: Values;
  mode?: SynthMode;
  /** The repository root (services/<name>/package.json holds each version). */
  root: string;
  appProps?: AppProps;
}

function chart(app: App, id: string, build: (scope: Construct) => void): void {
  const c = new Chart(app, id, { disableResourceNameHashes: true });
  build(c);
}

export function buildApp(options: BuildOptions): App {
  const mode = options.mode ?? 'plain';
  const values = mode === 'helm' ? helmValues() : (options.values ?? DEV_VALUES);
  const app = new App(options.appProps);

  chart(app, '00-namespaces', (c) => new Namespaces(c, 'namespaces'));
  if (values.devCredentials.create) chart(app, '01-dev-credentials', (c) => new DevCredentials(c, 'credentials'));
  chart(app, '10-data', (c) => {
    new Postgres(c, 'postgres');
    new Redis(c, 'redis');
  });
  chart(app, '20-kafka', (c) => new KafkaCluster(c, 'kafka'));
  chart(app, '30-observability', (c) => {
    new OtelCollector(c, 'otel-collector');
    new Jaeger(c, 'jaeger');
    new Prometheus(c, 'prometheus');
    new Grafana(c, 'grafana');
  });
  chart(app, '40-services', (c) => {
    for (const service of SERVICE_NAMES) {
      new Microservice(c, service, { service, values, version: serviceVersion(options.root, service) });
    }
  });
  if (values.autoscaling.enabled) chart(app, '45-autoscaling', (c) => new Autoscalers(c, 'autoscalers', { values }));
  chart(app, '50-network-policies', (c) => new NetworkPolicies(c, 'network-policies'));
  if (values.kindNodePorts.enabled) chart(app, '60-kind-access', (c) => new KindAccess(c, 'kind-access'));
  return app;
}

/** Every object of the app, as the API server would receive it. */
export function manifests(app: App): Record<string, unknown>[] {
  return app.charts.flatMap((c) => c.toJson() as Record<string, unknown>[]);
}
