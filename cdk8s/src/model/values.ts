// The knobs users turn: one Values object is both the input of the cdk8s
// app and, written as YAML, the Helm chart's values.yaml (its schema is
// derived from it, src/helm/). What each value means is said once, in
// value-descriptions.ts, which the chart's values files, schema and README
// are generated from. Constructs never read these directly: they
// get Settings (settings.ts), whose knobs hold the values in plain mode
// and placeholders in Helm mode, so the chart and the plain manifests come
// from the same code.
import { COLLECTOR, IMAGE_NAMES, SERVICES, SERVICE_NAMES, type ImageName, type ServiceName } from './topology.ts';
import { SIZES, type Resources } from './sizing.ts';

/** Services that can be turned off (services.<name>.enabled; why these: VALUE_DESCRIPTIONS.services). */
export const OPTIONAL_SERVICES = ['notification'] as const satisfies readonly ServiceName[];
export type OptionalService = (typeof OPTIONAL_SERVICES)[number];
/** kafka.operator: Strimzi runs the broker from the chart's Kafka resources, or (none) the chart runs it itself. */
export const KAFKA_OPERATORS = ['strimzi', 'none'] as const;
export type KafkaOperator = (typeof KAFKA_OPERATORS)[number];

export interface EnvVarValue {
  name: string;
  value: string;
}

/** What every one of our Node workloads has: its replicas, size, extra environment and image. */
export interface NodeWorkloadValues {
  replicas: number;
  resources: Resources;
  env: EnvVarValue[];
  image: {
    repository: string;
    tag: string;
  };
}

export interface ServiceValues extends NodeWorkloadValues {
  autoscaling: {
    enabled: boolean;
    minReplicas: number;
    maxReplicas: number;
    targetCPUUtilization: number;
  };
}

export type ServicesValues = {
  [S in ServiceName]: ServiceValues & (S extends OptionalService ? { enabled: boolean } : unknown);
};

/** The storefront: the shop in a browser (docs/storefront.md). */
export interface StorefrontValues extends NodeWorkloadValues {
  enabled: boolean;
  /** Comma-separated addresses or CIDRs of reverse proxies whose X-Forwarded-For is believed. */
  trustedProxies: string;
  /** Where a shopper's browser opens Jaeger's UI; empty: no link. */
  jaegerUiUrl: string;
}

/** The in-cluster load generator (docs/load-generator.md). */
export interface LoadGeneratorValues extends NodeWorkloadValues {
  enabled: boolean;
  /** Orders per second while the fault flag loadGeneratorRate is off (0: none). */
  rate: number;
}

/** Where Alertmanager sends the alerts of one severity: a webhook (empty url: nowhere). */
export interface WebhookReceiver {
  url: string;
  /** The port url's host listens on (443 for https, 80 for http unless the URL says): the NetworkPolicy allows it. */
  port: number;
}

export interface SecretRef {
  name: string;
  key: string;
}

/** Described in value-descriptions.ts (VALUE_DESCRIPTIONS), one text per value. */
export interface Values {
  image: {
    registry: string;
    tag: string;
    pullPolicy: 'IfNotPresent' | 'Always' | 'Never';
  };
  images: Record<ImageName, string>;
  namespaces: { shop: string; kafka: string; observability: string };
  environment: string;
  telemetry: { samplingRatio: number };
  autoscaling: { enabled: boolean };
  networkPolicies: { enabled: boolean };
  kindNodePorts: { enabled: boolean };
  devCredentials: { create: boolean };
  podSecurityContext: {
    runAsUser: number;
    runAsGroup: number;
    fsGroup: number;
    fsGroupChangePolicy: 'OnRootMismatch' | 'Always';
    seccompProfile: { type: 'RuntimeDefault' | 'Localhost'; localhostProfile: string };
  };
  services: ServicesValues;
  storefront: StorefrontValues;
  loadGenerator: LoadGeneratorValues;
  postgresql: {
    enabled: boolean;
    auth: { user: string; existingSecret: SecretRef };
    external: { host: string; port: number };
    resources: Resources;
    storage: { size: string };
  };
  redis: {
    enabled: boolean;
    external: { host: string; port: number; existingSecret: SecretRef };
    resources: Resources;
    maxMemory: string;
    storage: { size: string };
  };
  kafka: {
    enabled: boolean;
    /** Who runs the broker: the Strimzi operator (from the chart's Kafka resources), or the chart itself. */
    operator: KafkaOperator;
    external: { bootstrapServers: string; port: number };
    resources: Resources;
    heap: string;
    storage: { size: string };
  };
  observability: {
    enabled: boolean;
    external: { otlpEndpoint: string; port: number };
    /** The node's ports the collector receives OTLP on, which the pods of that node export to. */
    collector: { resources: Resources; hostPorts: { otlpGrpc: number; otlpHttp: number } };
    jaeger: { resources: Resources; maxTraces: number };
    prometheus: { resources: Resources; retention: { time: string; size: string }; storage: { size: string } };
    grafana: { resources: Resources };
  };
  alertmanager: {
    enabled: boolean;
    resources: Resources;
    receivers: { page: WebhookReceiver; ticket: WebhookReceiver };
  };
  slo: {
    prometheusRule: { enabled: boolean; releaseLabel: string };
  };
  flags: {
    enabled: boolean;
    resources: Resources;
    sync: { resources: Resources; image: { repository: string; tag: string } };
  };
}

const copy = (r: Resources): Resources => structuredClone(r);

function service(s: ServiceName): ServiceValues {
  return {
    replicas: 1,
    autoscaling: { enabled: SERVICES[s].autoscale, minReplicas: 1, maxReplicas: 3, targetCPUUtilization: 75 },
    resources: copy(SIZES.service),
    env: [],
    image: { repository: '', tag: '' },
  };
}

function services(f: (s: ServiceName) => ServiceValues): ServicesValues {
  return Object.fromEntries(
    SERVICE_NAMES.map((s) => [s, (OPTIONAL_SERVICES as readonly string[]).includes(s) ? { enabled: true, ...f(s) } : f(s)]),
  ) as ServicesValues;
}

/** `make dev` on kind: one of each, every trace kept, everything in the cluster. */
export const DEV_VALUES: Values = {
  image: { registry: '', tag: '0.1.0', pullPolicy: 'IfNotPresent' },
  images: Object.fromEntries(IMAGE_NAMES.map((s) => [s, ''])) as Record<ImageName, string>,
  namespaces: { shop: 'shop', kafka: 'kafka', observability: 'observability' },
  environment: 'dev',
  telemetry: { samplingRatio: 1 },
  autoscaling: { enabled: false },
  networkPolicies: { enabled: true },
  kindNodePorts: { enabled: true },
  devCredentials: { create: true },
  podSecurityContext: {
    runAsUser: 1000,
    runAsGroup: 1000,
    fsGroup: 1000,
    fsGroupChangePolicy: 'OnRootMismatch',
    seccompProfile: { type: 'RuntimeDefault', localhostProfile: '' },
  },
  services: services(service),
  storefront: {
    enabled: true,
    replicas: 1,
    resources: copy(SIZES.storefront),
    env: [],
    image: { repository: '', tag: '' },
    trustedProxies: '',
    // skaffold dev port-forwards Jaeger's UI here.
    jaegerUiUrl: 'http://localhost:16686',
  },
  // A slow trickle, so the dashboards have data as soon as make dev is up.
  loadGenerator: { enabled: true, rate: 0.5, replicas: 1, resources: copy(SIZES.loadGenerator), env: [], image: { repository: '', tag: '' } },
  postgresql: {
    enabled: true,
    auth: { user: 'shop', existingSecret: { name: 'postgres-credentials', key: 'password' } },
    external: { host: '', port: 5432 },
    resources: copy(SIZES.postgres),
    storage: { size: SIZES.postgresStorage },
  },
  redis: {
    enabled: true,
    external: { host: '', port: 6379, existingSecret: { name: '', key: 'password' } },
    resources: copy(SIZES.redis),
    maxMemory: SIZES.redisMaxMemory,
    storage: { size: SIZES.redisData },
  },
  kafka: {
    enabled: true,
    operator: 'strimzi',
    external: { bootstrapServers: '', port: 9092 },
    resources: copy(SIZES.kafka),
    heap: SIZES.kafkaHeap,
    storage: { size: SIZES.kafkaStorage },
  },
  observability: {
    enabled: true,
    external: { otlpEndpoint: '', port: 4318 },
    collector: { resources: copy(SIZES.collector), hostPorts: { otlpGrpc: COLLECTOR.otlpGrpc, otlpHttp: COLLECTOR.otlpHttp } },
    jaeger: { resources: copy(SIZES.jaeger), maxTraces: 10_000 },
    prometheus: { resources: copy(SIZES.prometheus), retention: { time: '6h', size: '400MB' }, storage: { size: SIZES.prometheusStorage } },
    grafana: { resources: copy(SIZES.grafana) },
  },
  alertmanager: {
    enabled: true,
    resources: copy(SIZES.alertmanager),
    receivers: { page: { url: '', port: 443 }, ticket: { url: '', port: 443 } },
  },
  slo: { prometheusRule: { enabled: false, releaseLabel: '' } },
  flags: {
    enabled: true,
    resources: copy(SIZES.flagd),
    sync: { resources: copy(SIZES.flagSync), image: { repository: '', tag: '' } },
  },
};

export type DeepPartial<T> = T extends readonly unknown[] ? T : T extends object ? { [K in keyof T]?: DeepPartial<T[K]> } : T;

/** Helm's merge of a values file over the defaults: maps merge, everything else (lists too) is replaced. */
export function mergeValues<T>(base: T, over: DeepPartial<T> | undefined): T {
  if (over === undefined) return structuredClone(base);
  if (base === null || typeof base !== 'object' || Array.isArray(base)) return structuredClone(over as T);
  const out: Record<string, unknown> = structuredClone(base) as Record<string, unknown>;
  for (const [k, v] of Object.entries(over as object)) out[k] = k in out ? mergeValues(out[k], v) : structuredClone(v);
  return out as T;
}

const everyService = (f: (s: ServiceName) => DeepPartial<ServiceValues>): DeepPartial<ServicesValues> =>
  Object.fromEntries(SERVICE_NAMES.map((s) => [s, f(s)])) as DeepPartial<ServicesValues>;

/**
 * values.yaml, the chart's defaults: the dev values, with every part of the
 * stack in the release's namespace, as Helm users expect of a chart. `make dev`
 * and `make deploy` keep three namespaces (THREE_NAMESPACES).
 */
export const CHART_DEFAULT_VALUES: Values = { ...DEV_VALUES, namespaces: { shop: '', kafka: '', observability: '' } };
/** values-three-namespaces.yaml: the shop, Kafka and the telemetry stack each in a namespace of its own (what skaffold installs). */
export const THREE_NAMESPACES: Pick<Values, 'namespaces'> = { namespaces: DEV_VALUES.namespaces };

/** values-production.yaml: 10% head sampling, two replicas and autoscalers for the request-driven services. */
export const PRODUCTION_OVERRIDES: DeepPartial<Values> = {
  environment: 'production',
  telemetry: { samplingRatio: 0.1 },
  autoscaling: { enabled: true },
  // No synthetic orders unless an operator sets loadGeneratorRate.
  loadGenerator: { rate: 0 },
  services: everyService((s) => (SERVICES[s].autoscale ? { replicas: 2, autoscaling: { minReplicas: 2, maxReplicas: 6 } } : { replicas: 1 })),
};
export const PRODUCTION_VALUES: Values = mergeValues<Values>(DEV_VALUES, PRODUCTION_OVERRIDES);

/**
 * Values files the chart is tested with (charts/otel-shop/ci/<name>-values.yaml,
 * the layout chart-testing reads): each is applied over values.yaml.
 */
export const CI_PROFILES: Record<string, { why: string; values: DeepPartial<Values> }> = {
  external: {
    why: 'Everything the services use is outside the chart: PostgreSQL, Redis (with a password), Kafka and an OTLP endpoint.',
    values: {
      devCredentials: { create: true },
      postgresql: {
        enabled: false,
        auth: { user: 'shop', existingSecret: { name: 'shop-postgres', key: 'postgres-password' } },
        external: { host: 'db.example.com', port: 5433 },
      },
      redis: { enabled: false, external: { host: 'cache.example.com', port: 6380, existingSecret: { name: 'shop-redis', key: 'redis-password' } } },
      kafka: { enabled: false, external: { bootstrapServers: 'kafka-0.example.com:9093,kafka-1.example.com:9093', port: 9093 } },
      observability: { enabled: false, external: { otlpEndpoint: 'https://otlp.example.com:4318', port: 4318 } },
    },
  },
  'observability-off': {
    why: "No telemetry at all: no collector, Jaeger, Prometheus or Grafana, and the services' SDK is disabled.",
    values: { observability: { enabled: false, external: { otlpEndpoint: '' } } },
  },
  'policies-off': {
    why: 'No NetworkPolicies (a cluster whose CNI does not enforce them, or that has its own).',
    values: { networkPolicies: { enabled: false } },
  },
  'one-replica': {
    why: 'One replica of everything and no autoscaler, even with autoscaling on globally: the per-service switches win.',
    values: {
      autoscaling: { enabled: true },
      services: everyService(() => ({ replicas: 1, autoscaling: { enabled: false } })),
    },
  },
  'no-notification': {
    why: 'The order path alone: no notification service, and nothing left that points at it.',
    values: { services: { notification: { enabled: false } } },
  },
  'alertmanager-off': {
    why: 'Prometheus evaluates the SLO rules and alerts, and sends them nowhere: no Alertmanager, nor its flows.',
    values: { alertmanager: { enabled: false } },
  },
  'flags-off': {
    why: 'No fault flags: no flagd, nor its ConfigMap, Roles or flows; the services run as configured.',
    values: { flags: { enabled: false } },
  },
  'no-load-generator': {
    why: 'No in-cluster load generator: nor its Secret or flows; the flag loadGeneratorRate then moves nothing.',
    values: { loadGenerator: { enabled: false } },
  },
  'kafka-without-operator': {
    why: 'Kafka run by the chart itself (a StatefulSet of the Apache Kafka image and a Job for the topics), with no Strimzi operator to install first.',
    values: { kafka: { operator: 'none' } },
  },
  'no-storefront': {
    why: 'The shop without its browser face: no storefront, nor its Secret, NodePort or network flows; the API is unchanged.',
    values: { storefront: { enabled: false } },
  },
  'beside-another-release': {
    why: "A second release on the nodes of a first (make dev's): all of it in its release's namespace, Kafka without an operator, the collector on other node ports, no kind NodePorts.",
    values: {
      namespaces: { shop: '', kafka: '', observability: '' },
      kafka: { operator: 'none' },
      kindNodePorts: { enabled: false },
      observability: { collector: { hostPorts: { otlpGrpc: 14317, otlpHttp: 14318 } } },
    },
  },
  tuned: {
    why: 'The per-service and global knobs: namespaces, images, resources, extra env, pod security, storage.',
    values: {
      namespaces: { shop: 'store', kafka: 'streams', observability: 'telemetry' },
      image: { registry: 'registry.example.com/team', tag: '1.2.3', pullPolicy: 'Always' },
      environment: 'staging',
      telemetry: { samplingRatio: 0.25 },
      devCredentials: { create: false },
      kindNodePorts: { enabled: false },
      podSecurityContext: { runAsUser: 2000, runAsGroup: 3000, fsGroup: 3000 },
      services: {
        gateway: { image: { repository: 'mirror/gateway', tag: '9.9.9' }, env: [{ name: 'LOG_LEVEL', value: 'debug' }] },
        order: { resources: { requests: { cpu: '100m', memory: '192Mi' }, limits: { cpu: '1', memory: '384Mi' } } },
      },
      postgresql: { storage: { size: '5Gi' } },
      kafka: { storage: { size: '10Gi' } },
      observability: { collector: { resources: { requests: { cpu: '50m', memory: '128Mi' }, limits: { cpu: '500m', memory: '1Gi' } } } },
      alertmanager: {
        receivers: {
          page: { url: 'https://pager.example.com:8443/hooks/otel-shop', port: 8443 },
          ticket: { url: 'http://tickets.example.com/otel-shop', port: 80 },
        },
      },
      slo: { prometheusRule: { enabled: true, releaseLabel: 'kube-prometheus-stack' } },
    },
  },
};
