// Every network flow the architecture has, and nothing else. The
// NetworkPolicies (default deny, then these allows) and Strimzi's listener
// peers are generated from this table; the policy test derives the flows
// independently from the workloads' configuration (env URLs, collector and
// Prometheus config, Grafana datasources) and checks both agree.
import {
  COLLECTOR,
  GRAFANA,
  JAEGER,
  KAFKA,
  KAFKA_POD_LABELS,
  NS,
  POSTGRES,
  PROMETHEUS,
  REDIS,
  SERVICES,
  SERVICE_NAMES,
  selectorFor,
  type ServiceName,
} from './topology.ts';

export interface PodEndpoint {
  kind: 'pods';
  namespace: string;
  podLabels: Record<string, string>;
}
export interface CidrEndpoint {
  kind: 'cidr';
  cidr: string;
  description: string;
}
export type Endpoint = PodEndpoint | CidrEndpoint;

const pods = (namespace: string, podLabels: Record<string, string>): PodEndpoint => ({ kind: 'pods', namespace, podLabels });

export const ENDPOINTS = {
  ...(Object.fromEntries(SERVICE_NAMES.map((s) => [s, pods(NS.shop, selectorFor(s))])) as Record<ServiceName, PodEndpoint>),
  postgres: pods(NS.shop, selectorFor(POSTGRES.name)),
  redis: pods(NS.shop, selectorFor(REDIS.name)),
  kafka: pods(NS.kafka, { ...KAFKA_POD_LABELS }),
  collector: pods(NS.observability, selectorFor(COLLECTOR.name)),
  jaeger: pods(NS.observability, selectorFor(JAEGER.name)),
  prometheus: pods(NS.observability, selectorFor(PROMETHEUS.name)),
  grafana: pods(NS.observability, selectorFor(GRAFANA.name)),
  'kube-dns': pods('kube-system', { 'k8s-app': 'kube-dns' }),
  // The API server's address differs per cluster (kind: the control-plane
  // node's IP, port 6443 after the kubernetes Service's DNAT), so the rule
  // is narrowed by port, not address.
  'kube-apiserver': { kind: 'cidr', cidr: '0.0.0.0/0', description: 'the Kubernetes API server' } as CidrEndpoint,
  // A browser or curl on the host, through kind's port mapping and a NodePort.
  outside: { kind: 'cidr', cidr: '0.0.0.0/0', description: 'clients outside the cluster (kind NodePorts)' } as CidrEndpoint,
} satisfies Record<string, Endpoint>;
export type EndpointName = keyof typeof ENDPOINTS;

export interface Flow {
  from: EndpointName;
  to: EndpointName;
  port: number;
  protocol?: 'TCP' | 'UDP';
  why: string;
  /** Only with the kind NodePorts (Helm: kindNodePorts.enabled). */
  nodePort?: boolean;
}

function serviceFlows(): Flow[] {
  const flows: Flow[] = [];
  for (const s of SERVICE_NAMES) {
    const spec = SERVICES[s];
    for (const peer of spec.calls) flows.push({ from: s, to: peer, port: SERVICES[peer].port, why: `${s} calls ${peer} over HTTP` });
    if (spec.database) flows.push({ from: s, to: 'postgres', port: POSTGRES.port, why: `${s} owns database ${spec.database}` });
    if (spec.redis) flows.push({ from: s, to: 'redis', port: REDIS.port, why: `${s} keeps state in Redis` });
    if (spec.kafka) flows.push({ from: s, to: 'kafka', port: KAFKA.port, why: `${s} produces to or consumes from Kafka` });
    flows.push({ from: s, to: 'collector', port: COLLECTOR.otlpHttp, why: `${s} exports OTLP/HTTP to the collector on its node` });
  }
  return flows;
}

export const FLOWS: Flow[] = [
  ...serviceFlows(),
  { from: 'collector', to: 'jaeger', port: JAEGER.otlpGrpc, why: 'traces to Jaeger (OTLP/gRPC)' },
  { from: 'collector', to: 'kafka', port: KAFKA.port, why: 'kafka_metrics receiver: consumer lag' },
  { from: 'collector', to: 'kube-apiserver', port: 443, why: 'k8s_attributes watches pods (Service port)' },
  { from: 'collector', to: 'kube-apiserver', port: 6443, why: 'k8s_attributes watches pods (after DNAT, kind)' },
  { from: 'prometheus', to: 'collector', port: COLLECTOR.prometheus, why: 'scrapes the collector prometheus exporter' },
  { from: 'grafana', to: 'prometheus', port: PROMETHEUS.port, why: 'Prometheus datasource' },
  { from: 'grafana', to: 'jaeger', port: JAEGER.query, why: 'Jaeger datasource' },
  { from: 'outside', to: 'gateway', port: SERVICES.gateway.port, why: 'public API via NodePort', nodePort: true },
  { from: 'outside', to: 'jaeger', port: JAEGER.query, why: 'Jaeger UI via NodePort', nodePort: true },
  { from: 'outside', to: 'grafana', port: GRAFANA.port, why: 'Grafana via NodePort', nodePort: true },
];

/** Namespaces whose pods are default-deny in both directions (ours). */
export const DENY_ALL_NAMESPACES = [NS.shop, NS.observability] as const;
export const DNS_PORT = 53;

/** The sources allowed into an endpoint (Strimzi's networkPolicyPeers for Kafka). */
export function peersOf(to: EndpointName): PodEndpoint[] {
  const seen = new Map<string, PodEndpoint>();
  for (const f of FLOWS) {
    if (f.to !== to) continue;
    const from = ENDPOINTS[f.from];
    if (from.kind === 'pods') seen.set(JSON.stringify(from), from);
  }
  return [...seen.values()];
}

export function endpoint(name: EndpointName): Endpoint {
  return ENDPOINTS[name];
}
