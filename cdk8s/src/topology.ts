// The contracts of the Kubernetes topology (docs/kubernetes.md) and of the
// services (README): namespaces, names, ports. Everything else refers to these.

export const PART_OF = 'otel-shop';

export const NS = {
  shop: 'shop',
  kafka: 'kafka',
  observability: 'observability',
} as const;
export type Namespace = (typeof NS)[keyof typeof NS];

export const SERVICE_NAMES = ['gateway', 'order', 'inventory', 'payment', 'notification'] as const;
export type ServiceName = (typeof SERVICE_NAMES)[number];

export interface ServiceSpec {
  /** OTel service.name (a contract: dashboards and tests query it). */
  otelName: string;
  port: number;
  /** PostgreSQL database it owns, if any. */
  database?: string;
  redis?: boolean;
  kafka?: boolean;
  /** Peers it calls over HTTP (env ORDER_URL, INVENTORY_URL, PAYMENT_URL). */
  calls: ServiceName[];
  /** CPU-driven HorizontalPodAutoscaler: for request-driven, stateless services. */
  autoscale: boolean;
}

export const SERVICES: Record<ServiceName, ServiceSpec> = {
  gateway: { otelName: 'gateway', port: 8080, redis: true, calls: ['order', 'inventory'], autoscale: true },
  order: { otelName: 'order-service', port: 8081, database: 'orders', kafka: true, calls: ['inventory', 'payment'], autoscale: true },
  inventory: { otelName: 'inventory-service', port: 8082, database: 'inventory', calls: [], autoscale: true },
  payment: { otelName: 'payment-service', port: 8083, redis: true, calls: [], autoscale: true },
  // A Kafka consumer: its parallelism is bounded by the topic's 3 partitions
  // and its load shows as consumer lag, not CPU, so no CPU autoscaler.
  notification: { otelName: 'notification-service', port: 8084, database: 'notifications', kafka: true, calls: [], autoscale: false },
};

/** The image repository of one of our services; skaffold's artifact names are exactly these. */
export function serviceImageName(service: ServiceName): string {
  return `${PART_OF}/${service}`;
}

export const KAFKA = {
  cluster: 'shop',
  version: '4.3.1',
  nodePool: 'dual-role',
  port: 9092,
  topic: 'order-notifications',
  dlqTopic: 'order-notifications.dlq',
  partitions: 3,
  consumerGroup: 'notification-service',
} as const;
/** The bootstrap Service Strimzi creates for a cluster: <cluster>-kafka-bootstrap. */
export const KAFKA_BOOTSTRAP = `${KAFKA.cluster}-kafka-bootstrap.${NS.kafka}.svc.cluster.local:${KAFKA.port}`;
/** Labels Strimzi puts on the broker pods of our cluster. */
export const KAFKA_POD_LABELS = { 'strimzi.io/cluster': KAFKA.cluster, 'strimzi.io/kind': 'Kafka' } as const;

export const POSTGRES = { name: 'postgres', port: 5432, user: 'shop', databases: ['orders', 'inventory', 'notifications'] } as const;
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

/** The kind NodePorts kind-config.yaml maps to 127.0.0.1 on the host (make deploy, no port-forward needed). */
export const NODE_PORTS = { gateway: 30080, jaeger: 30686, grafana: 30300 } as const;

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
