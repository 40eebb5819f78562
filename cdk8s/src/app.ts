// The whole stack as one cdk8s App: one Chart per concern, each synthesized
// to its own file (cdk8s/manifests/<chart>.k8s.yaml, or the Helm chart's
// templates/). The numeric prefixes order `kubectl apply`: namespaces first.
import { ApiObject, App, Chart, type AppProps } from 'cdk8s';
import { Construct } from 'constructs';
import { DevCredentials } from './model/credentials.ts';
import { Alertmanager } from './constructs/alertmanager.ts';
import { Flagd } from './constructs/flagd.ts';
import { Grafana } from './constructs/grafana.ts';
import { Jaeger } from './constructs/jaeger.ts';
import { KafkaCluster } from './constructs/kafka.ts';
import { KafkaBroker } from './constructs/kafka-broker.ts';
import { KindAccess } from './constructs/kind-access.ts';
import { LoadGenerator } from './constructs/load-generator.ts';
import { Autoscalers, Microservice, serviceVersion } from './constructs/microservice.ts';
import { Namespaces } from './constructs/namespaces.ts';
import { NetworkPolicies } from './constructs/network-policies.ts';
import { OtelCollector } from './constructs/otel-collector.ts';
import { Postgres } from './constructs/postgres.ts';
import { Prometheus, SloPrometheusRule } from './constructs/prometheus.ts';
import { Redis } from './constructs/redis.ts';
import { Storefront } from './constructs/storefront.ts';
import type { SynthMode } from './model/knobs.ts';
import { Settings } from './model/settings.ts';
import { LOAD_GENERATOR, SERVICE_NAMES, STOREFRONT } from './model/topology.ts';
import { DEV_VALUES, type Values } from './model/values.ts';

export type { SynthMode };

export interface BuildOptions {
  values?: Values;
  mode?: SynthMode;
  /** Where empty namespaces.<key> values put objects in a plain build (Helm: the release's namespace). */
  releaseNamespace?: string;
  /** The repository root (services/<name>/package.json holds each version). */
  root: string;
  appProps?: AppProps;
}

/** A chart (an output file) per concern; none for a concern that is entirely off (plain mode). */
function chart(app: App, id: string, build: (scope: Construct) => void): void {
  const c = new Chart(app, id, { disableResourceNameHashes: true });
  build(c);
  if (!c.node.findAll().some((x) => x instanceof ApiObject)) app.node.tryRemoveChild(id);
}

/**
 * What is off is not built (plain mode), or built and guarded (Helm mode:
 * settings.gate marks it, src/helm/ wraps it in an `if`).
 */
export function buildApp(options: BuildOptions): App {
  const s = new Settings(options.mode ?? 'plain', options.values ?? DEV_VALUES, options.releaseNamespace);
  const { on, gate } = s;
  const app = new App(options.appProps);

  chart(app, '00-namespaces', (c) => new Namespaces(c, 'namespaces', { settings: s }));
  chart(app, '01-dev-credentials', (c) => gate.when(on.devCredentials, () => new DevCredentials(c, 'credentials', { settings: s })));
  chart(app, '10-data', (c) => {
    gate.when(on.postgres, () => new Postgres(c, 'postgres', { settings: s }));
    gate.when(on.redis, () => new Redis(c, 'redis', { settings: s }));
  });
  chart(app, '20-kafka', (c) => {
    gate.when(on.kafkaByStrimzi, () => new KafkaCluster(c, 'kafka', { settings: s }));
    gate.when(on.kafkaByChart, () => new KafkaBroker(c, 'kafka-broker', { settings: s }));
  });
  chart(app, '30-observability', (c) =>
    gate.when(on.observability, () => {
      const stack = new Construct(c, 'observability');
      new OtelCollector(stack, 'otel-collector', { settings: s });
      new Jaeger(stack, 'jaeger', { settings: s });
      new Prometheus(stack, 'prometheus', { settings: s });
      new Grafana(stack, 'grafana', { settings: s });
      gate.when(on.alertmanager, () => new Alertmanager(stack, 'alertmanager', { settings: s }));
      return stack;
    }),
  );
  chart(app, '35-slo-rules', (c) => new SloPrometheusRule(c, 'slo-rules', { settings: s }));
  chart(app, '38-flags', (c) => gate.when(on.flags, () => new Flagd(c, 'flagd', { settings: s })));
  chart(app, '40-services', (c) => {
    for (const service of SERVICE_NAMES) {
      gate.when(on.service(service), () => new Microservice(c, service, { service, settings: s, version: serviceVersion(options.root, service) }));
    }
  });
  chart(app, '42-storefront', (c) =>
    gate.when(on.storefront, () => new Storefront(c, STOREFRONT.name, { settings: s, version: serviceVersion(options.root, STOREFRONT.name) })),
  );
  chart(app, '44-load-generator', (c) =>
    gate.when(on.loadGenerator, () => new LoadGenerator(c, LOAD_GENERATOR.name, { settings: s, version: serviceVersion(options.root, LOAD_GENERATOR.name) })),
  );
  chart(app, '45-autoscaling', (c) => new Autoscalers(c, 'autoscalers', { settings: s }));
  chart(app, '50-network-policies', (c) => gate.when(on.policies, () => new NetworkPolicies(c, 'network-policies', { settings: s })));
  chart(app, '60-kind-access', (c) => gate.when(on.nodePorts, () => new KindAccess(c, 'kind-access', { settings: s })));
  return app;
}

/** Every object of the app, as the API server would receive it. */
export function manifests(app: App): Record<string, unknown>[] {
  return app.charts.flatMap((c) => c.toJson() as Record<string, unknown>[]);
}
