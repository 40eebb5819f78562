// The contracts of the Kubernetes topology (docs/kubernetes.md): namespaces,
// names, ports. The services' own table (name, port, OTel name, database,
// peers) and the Kafka topics are @shop/contracts'; this adds what only the
// cluster needs (which services autoscale). Everything else refers to these.
import {
  DATABASES,
  DEPLOYABLE_NAMES,
  FLAGD,
  FLAG_SYNC,
  IMAGE_NAMES,
  LOAD_GENERATOR,
  STOREFRONT,
  DATABASE_USER,
  NOTIFICATION_CONSUMER_GROUP,
  ORDER_NOTIFICATIONS,
  ORDER_NOTIFICATIONS_DLQ,
  SERVICES as SERVICE_TABLE,
  SERVICE_NAMES,
  type ServiceName,
  type DeployableName,
  type ImageName,
  type ServiceSpec as ServiceContract,
} from '@shop/contracts';

export { DEPLOYABLE_NAMES, FLAGD, FLAG_SYNC, IMAGE_NAMES, LOAD_GENERATOR, SERVICE_NAMES, STOREFRONT, type DeployableName, type ImageName, type ServiceName };

export const PART_OF = 'otel-shop';

export const NS = {
  shop: 'shop',
  kafka: 'kafka',
  observability: 'observability',
} as const;
export type Namespace = (typeof NS)[keyof typeof NS];

export interface ServiceSpec extends ServiceContract {
  /** CPU-driven HorizontalPodAutoscaler: for request-driven, stateless services. */
  autoscale: boolean;
}

const AUTOSCALED: Record<ServiceName, boolean> = {
  gateway: true,
  order: true,
  inventory: true,
  payment: true,
  // A Kafka consumer: its parallelism is bounded by the topic's partitions
  // and its load shows as consumer lag, not CPU, so no CPU autoscaler.
  notification: false,
};

export const SERVICES = Object.fromEntries(SERVICE_NAMES.map((s) => [s, { ...SERVICE_TABLE[s], autoscale: AUTOSCALED[s] }])) as Record<
  ServiceName,
  ServiceSpec
>;

/** The image repository of one of our images (IMAGE_NAMES); skaffold's artifact names are exactly these. */
export function serviceImageName(service: ImageName): string {
  return `${PART_OF}/${service}`;
}

export const KAFKA = {
  cluster: 'shop',
  version: '4.3.1',
  nodePool: 'dual-role',
  port: 9092,
  topic: ORDER_NOTIFICATIONS.name,
  dlqTopic: ORDER_NOTIFICATIONS_DLQ.name,
  partitions: ORDER_NOTIFICATIONS.partitions,
  dlqPartitions: ORDER_NOTIFICATIONS_DLQ.partitions,
  consumerGroup: NOTIFICATION_CONSUMER_GROUP,
} as const;
/** The bootstrap Service Strimzi creates for a cluster: <cluster>-kafka-bootstrap. */
export const KAFKA_BOOTSTRAP = `${KAFKA.cluster}-kafka-bootstrap.${NS.kafka}.svc.cluster.local:${KAFKA.port}`;
/**
 * Labels Strimzi puts on the broker pods of our cluster; the chart's own
 * broker (kafka.operator=none) carries them too, so that every selector and
 * policy holds in either mode.
 */
export const KAFKA_POD_LABELS = { 'strimzi.io/cluster': KAFKA.cluster, 'strimzi.io/kind': 'Kafka' } as const;
/** The Job that creates the topics when the chart runs Kafka itself (its app.kubernetes.io/name). */
export const KAFKA_TOPICS_JOB = `${KAFKA.cluster}-kafka-topics`;

export const POSTGRES = { name: 'postgres', port: 5432, user: DATABASE_USER, databases: DATABASES } as const;
export const REDIS = { name: 'redis', port: 6379 } as const;

export const COLLECTOR = {
  name: 'otel-collector',
  otlpGrpc: 4317,
  otlpHttp: 4318,
  prometheus: 8889,
  health: 13133,
} as const;
export const JAEGER = { name: 'jaeger', otlpGrpc: 4317, query: 16686, queryGrpc: 16685, health: 13133, memoryMaxTraces: 10_000 } as const;
export const PROMETHEUS = { name: 'prometheus', port: 9090, retention: '6h', retentionSize: '400MB' } as const;
export const GRAFANA = { name: 'grafana', port: 3000 } as const;
export const ALERTMANAGER = { name: 'alertmanager', port: 9093 } as const;

/** The kind NodePorts kind-config.yaml maps to 127.0.0.1 on the host (make deploy, no port-forward needed). */
export const NODE_PORTS = { gateway: 30080, storefront: 30090, jaeger: 30686, grafana: 30300 } as const;

export function fqdn(name: string, namespace: Namespace): string {
  return `${name}.${namespace}.svc.cluster.local`;
}

/** Standard labels; `app.kubernetes.io/name` is what every selector uses. */
export function labelsFor(name: string, component: string): Record<string, string> {
  return { 'app.kubernetes.io/name': name, 'app.kubernetes.io/component': component, 'app.kubernetes.io/part-of': PART_OF };
}
export function selectorFor(name: string): Record<string, string> {
  return { 'app.kubernetes.io/name': name };
}
