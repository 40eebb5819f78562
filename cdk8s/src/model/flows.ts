// Every network flow the architecture has, and nothing else. The
// NetworkPolicies (default deny, then these allows) and Strimzi's listener
// peers are generated from this table; the policy test derives the flows
// independently from the workloads' configuration (env URLs, collector and
// Prometheus config, Grafana datasources) and checks both agree.
//
// An endpoint exists under a condition (a service that can be turned off,
// an in-cluster dependency, or its external replacement), and so does every
// flow to or from it. An external dependency is reached by port only: its
// address is a host name, which a NetworkPolicy cannot name.
import type { Knob } from './knobs.ts';
import { ALWAYS, all, not, type Cond } from './knobs.ts';
import type { Settings } from './settings.ts';
import {
  ALERTMANAGER,
  COLLECTOR,
  FLAGD,
  GRAFANA,
  JAEGER,
  KAFKA,
  KAFKA_POD_LABELS,
  KAFKA_TOPICS_JOB,
  LOAD_GENERATOR,
  POSTGRES,
  PROMETHEUS,
  REDIS,
  SERVICES,
  SERVICE_NAMES,
  STOREFRONT,
  selectorFor,
  type ServiceName,
} from './topology.ts';
import { FLAG_EVALUATORS } from '@shop/contracts';

export interface PodEndpoint {
  kind: 'pods';
  namespace: string;
  podLabels: Record<string, string>;
  when: Cond;
}
export interface CidrEndpoint {
  kind: 'cidr';
  cidr: string;
  description: string;
  when: Cond;
}
export type Endpoint = PodEndpoint | CidrEndpoint;

export type EndpointName =
  | ServiceName
  | 'storefront'
  | 'load-generator'
  | 'postgres'
  | 'postgres-external'
  | 'redis'
  | 'redis-external'
  | 'kafka'
  | 'kafka-external'
  | 'kafka-topics'
  | 'collector'
  | 'jaeger'
  | 'prometheus'
  | 'grafana'
  | 'alertmanager'
  | 'flagd'
  | 'webhook-page'
  | 'webhook-ticket'
  | 'otlp-external'
  | 'kube-dns'
  | 'kube-apiserver'
  | 'outside';

const ANYWHERE = '0.0.0.0/0';

export function endpoints(s: Settings): Record<EndpointName, Endpoint> {
  const on = s.on;
  const shop = s.namespace('shop');
  const observability = s.namespace('observability');
  const pods = (namespace: string, podLabels: Record<string, string>, when: Cond): PodEndpoint => ({ kind: 'pods', namespace, podLabels, when });
  const cidr = (description: string, when: Cond): CidrEndpoint => ({ kind: 'cidr', cidr: ANYWHERE, description, when });
  return {
    ...(Object.fromEntries(SERVICE_NAMES.map((n) => [n, pods(shop, selectorFor(n), on.service(n))])) as Record<ServiceName, PodEndpoint>),
    storefront: pods(shop, selectorFor(STOREFRONT.name), on.storefront),
    'load-generator': pods(shop, selectorFor(LOAD_GENERATOR.name), on.loadGenerator),
    postgres: pods(shop, selectorFor(POSTGRES.name), on.postgres),
    'postgres-external': cidr('the external PostgreSQL', not(on.postgres)),
    redis: pods(shop, selectorFor(REDIS.name), on.redis),
    'redis-external': cidr('the external Redis', not(on.redis)),
    kafka: pods(s.namespace('kafka'), { ...KAFKA_POD_LABELS }, on.kafka),
    'kafka-external': cidr('the external Kafka brokers', not(on.kafka)),
    // The Job that creates the topics when the chart runs Kafka itself (Strimzi's topic operator otherwise).
    'kafka-topics': pods(s.namespace('kafka'), selectorFor(KAFKA_TOPICS_JOB), on.kafkaByChart),
    collector: pods(observability, selectorFor(COLLECTOR.name), on.observability),
    jaeger: pods(observability, selectorFor(JAEGER.name), on.observability),
    prometheus: pods(observability, selectorFor(PROMETHEUS.name), on.observability),
    grafana: pods(observability, selectorFor(GRAFANA.name), on.observability),
    alertmanager: pods(observability, selectorFor(ALERTMANAGER.name), on.alertmanager),
    flagd: pods(shop, selectorFor(FLAGD.name), on.flags),
    'webhook-page': cidr("the page alerts' webhook (alertmanager.receivers.page)", on.webhook('page')),
    'webhook-ticket': cidr("the ticket alerts' webhook (alertmanager.receivers.ticket)", on.webhook('ticket')),
    'otlp-external': cidr('the external OTLP endpoint', on.externalOtlp),
    'kube-dns': pods('kube-system', { 'k8s-app': 'kube-dns' }, ALWAYS),
    // The API server's address differs per cluster (kind: the control-plane
    // node's IP, port 6443 after the kubernetes Service's DNAT), so the rule
    // is narrowed by port, not address.
    'kube-apiserver': cidr('the Kubernetes API server', ALWAYS),
    // A browser or curl on the host, through kind's port mapping and a NodePort.
    outside: cidr('clients outside the cluster (kind NodePorts)', ALWAYS),
  };
}

export interface Flow {
  from: EndpointName;
  to: EndpointName;
  port: number | Knob<number>;
  protocol?: 'TCP' | 'UDP';
  why: string;
  /** Only with the kind NodePorts (Helm: kindNodePorts.enabled). */
  nodePort?: boolean;
}

export function flows(s: Settings): Flow[] {
  const ext = s.v;
  const out: Flow[] = [];
  for (const n of SERVICE_NAMES) {
    const spec = SERVICES[n];
    for (const peer of spec.calls) out.push({ from: n, to: peer, port: SERVICES[peer].port, why: `${n} calls ${peer} over HTTP` });
    if (spec.database) {
      out.push({ from: n, to: 'postgres', port: POSTGRES.port, why: `${n} owns database ${spec.database}` });
      out.push({ from: n, to: 'postgres-external', port: ext.postgresql.external.port, why: `${n} owns database ${spec.database} (external)` });
    }
    if (spec.redis) {
      out.push({ from: n, to: 'redis', port: REDIS.port, why: `${n} keeps state in Redis` });
      out.push({ from: n, to: 'redis-external', port: ext.redis.external.port, why: `${n} keeps state in Redis (external)` });
    }
    if (spec.kafka) {
      out.push({ from: n, to: 'kafka', port: KAFKA.port, why: `${n} produces to or consumes from Kafka` });
      out.push({ from: n, to: 'kafka-external', port: ext.kafka.external.port, why: `${n} produces to or consumes from Kafka (external)` });
    }
    out.push({ from: n, to: 'collector', port: COLLECTOR.otlpHttp, why: `${n} exports OTLP/HTTP to the collector on its node` });
    out.push({ from: n, to: 'otlp-external', port: ext.observability.external.port, why: `${n} exports OTLP/HTTP to the external endpoint` });
  }
  for (const n of FLAG_EVALUATORS) out.push({ from: n, to: 'flagd', port: FLAGD.sync, why: `${n} follows the fault flags from flagd's sync port` });
  out.push(
    { from: 'flagd', to: 'kube-apiserver', port: 443, why: 'flag-sync watches the fault-flags ConfigMap (Service port)' },
    { from: 'flagd', to: 'kube-apiserver', port: 6443, why: 'flag-sync watches the fault-flags ConfigMap (after DNAT, kind)' },
  );
  for (const peer of LOAD_GENERATOR.calls)
    out.push({ from: 'load-generator', to: peer, port: SERVICES[peer].port, why: `the load generator places orders at ${peer} with its own API key` });
  out.push(
    { from: 'load-generator', to: 'flagd', port: FLAGD.sync, why: 'the load generator follows loadGeneratorRate from flagd' },
    { from: 'load-generator', to: 'collector', port: COLLECTOR.otlpHttp, why: "the load generator's spans (OTLP/HTTP)" },
    { from: 'load-generator', to: 'otlp-external', port: ext.observability.external.port, why: "the load generator's spans to the external endpoint" },
  );
  for (const peer of STOREFRONT.calls)
    out.push({ from: 'storefront', to: peer, port: SERVICES[peer].port, why: `the storefront calls ${peer} with its own API key` });
  out.push(
    { from: 'storefront', to: 'collector', port: COLLECTOR.otlpHttp, why: "the storefront's own spans and the pages' it forwards (OTLP/HTTP)" },
    { from: 'storefront', to: 'otlp-external', port: ext.observability.external.port, why: "the storefront's and the pages' spans to the external endpoint" },
    { from: 'storefront', to: 'jaeger', port: JAEGER.query, why: "the order page reads the order's trace from Jaeger's query API" },
    { from: 'outside', to: 'storefront', port: STOREFRONT.port, why: 'the shop in a browser via NodePort', nodePort: true },
  );
  out.push(
    { from: 'collector', to: 'jaeger', port: JAEGER.otlpGrpc, why: 'traces to Jaeger (OTLP/gRPC)' },
    { from: 'collector', to: 'kafka', port: KAFKA.port, why: 'kafka_metrics receiver: consumer lag' },
    { from: 'collector', to: 'kafka-external', port: ext.kafka.external.port, why: 'kafka_metrics receiver: consumer lag (external Kafka)' },
    { from: 'kafka-topics', to: 'kafka', port: KAFKA.port, why: 'creates the topics (Kafka without an operator)' },
    { from: 'collector', to: 'kube-apiserver', port: 443, why: 'k8s_attributes watches pods (Service port)' },
    { from: 'collector', to: 'kube-apiserver', port: 6443, why: 'k8s_attributes watches pods (after DNAT, kind)' },
    { from: 'prometheus', to: 'collector', port: COLLECTOR.prometheus, why: 'scrapes the collector prometheus exporter' },
    { from: 'grafana', to: 'prometheus', port: PROMETHEUS.port, why: 'Prometheus datasource' },
    { from: 'prometheus', to: 'alertmanager', port: ALERTMANAGER.port, why: 'sends the SLO alerts to Alertmanager' },
    { from: 'alertmanager', to: 'webhook-page', port: ext.alertmanager.receivers.page.port, why: 'page alerts to their webhook (external)' },
    { from: 'alertmanager', to: 'webhook-ticket', port: ext.alertmanager.receivers.ticket.port, why: 'ticket alerts to their webhook (external)' },
    { from: 'grafana', to: 'jaeger', port: JAEGER.query, why: 'Jaeger datasource' },
    { from: 'outside', to: 'gateway', port: SERVICES.gateway.port, why: 'public API via NodePort', nodePort: true },
    { from: 'outside', to: 'jaeger', port: JAEGER.query, why: 'Jaeger UI via NodePort', nodePort: true },
    { from: 'outside', to: 'grafana', port: GRAFANA.port, why: 'Grafana via NodePort', nodePort: true },
  );
  return out;
}

/** A flow exists when both its ends do. */
export function flowCond(eps: Record<EndpointName, Endpoint>, f: Flow): Cond {
  return all(eps[f.from].when, eps[f.to].when);
}

/** The namespaces whose pods are default-deny in both directions (ours), and when each exists. */
export function denyAllNamespaces(s: Settings): { key: 'shop' | 'observability'; namespace: string; when: Cond }[] {
  return [
    { key: 'shop', namespace: s.namespace('shop'), when: ALWAYS },
    { key: 'observability', namespace: s.namespace('observability'), when: all(s.on.observability, s.namespaceIsOwn('observability')) },
  ];
}
export const DNS_PORT = 53;

/** The pods allowed into an endpoint (Strimzi's networkPolicyPeers for Kafka), each with its condition. */
export function peersOf(s: Settings, to: EndpointName): { peer: PodEndpoint; when: Cond }[] {
  const eps = endpoints(s);
  const seen = new Map<string, { peer: PodEndpoint; when: Cond }>();
  for (const f of flows(s)) {
    if (f.to !== to) continue;
    const from = eps[f.from];
    if (from.kind === 'pods') seen.set(JSON.stringify(from), { peer: from, when: from.when });
  }
  return [...seen.values()];
}
