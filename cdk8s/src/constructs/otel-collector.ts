// The OpenTelemetry Collector (contrib distribution) as a DaemonSet: every
// node's hostPort 4318/4317 (observability.collector.hostPorts) receives OTLP
// from the pods of that node (they address it by status.hostIP). It adds k8s.* attributes (k8s_attributes,
// RBAC below), bounds its memory (memory_limiter), derives RED metrics from
// spans (span_metrics connector), scrapes consumer lag from Kafka
// (kafka_metrics), sends traces to Jaeger and serves all metrics to
// Prometheus. Component names are those of collector-contrib 0.159
// (snake_case; the old names are deprecated aliases).
import { Construct } from 'constructs';
import { k8s } from 'cdk8s-plus-34';
import { stringify } from 'yaml';
import { containerSecurityContext, fieldEnv, httpProbe, podSecurityContext, resources, tmpVolume } from '../model/security.ts';
import { Settings } from '../model/settings.ts';
import { IMAGES } from '../model/images.ts';
import { COLLECTOR, JAEGER, KAFKA, labelsFor, selectorFor } from '../model/topology.ts';
import { kafkaBootstrap } from './microservice.ts';

export const COLLECTOR_UID = 10001;

/** Span metrics as Prometheus sees them: traces.span.metrics.* with unit s. */
export const SPAN_METRICS = {
  namespace: 'traces.span.metrics',
  unit: 's',
  buckets: ['5ms', '10ms', '25ms', '50ms', '100ms', '250ms', '500ms', '1s', '2.5s', '5s', '10s'],
} as const;

/**
 * The collector's configuration. With an external Kafka the brokers are the
 * values' comma-separated list, which the collector splits into its list
 * (its config decoding turns a comma-separated string into a string list).
 */
export function collectorConfig(s: Settings = new Settings('plain'), kafkaInCluster = true): Record<string, unknown> {
  return {
    extensions: {
      health_check: { endpoint: `\${env:K8S_POD_IP}:${COLLECTOR.health}` },
    },
    receivers: {
      otlp: {
        protocols: {
          grpc: { endpoint: `\${env:K8S_POD_IP}:${COLLECTOR.otlpGrpc}` },
          http: { endpoint: `\${env:K8S_POD_IP}:${COLLECTOR.otlpHttp}` },
        },
      },
      // Consumer lag straight from the brokers (every collector asks the same
      // cluster: dashboards aggregate with max by (group, topic)).
      kafka_metrics: {
        brokers: kafkaInCluster ? [kafkaBootstrap(s)] : `${s.v.kafka.external.bootstrapServers}`,
        scrapers: ['consumers', 'topics'],
        collection_interval: '15s',
        group_match: `^${KAFKA.consumerGroup}$`,
        topic_match: `^${KAFKA.topic.replaceAll('.', '\\.')}(\\.dlq)?$`,
      },
    },
    processors: {
      memory_limiter: { check_interval: '1s', limit_percentage: 80, spike_limit_percentage: 20 },
      k8s_attributes: {
        auth_type: 'serviceAccount',
        passthrough: false,
        // Only the pods of this node: the informer stays small.
        filter: { node_from_env_var: 'K8S_NODE_NAME' },
        // By the uid a pod states about itself (each workload sets it from
        // the Downward API), never by the connection: the storefront
        // forwards the pages' spans, and by its address they would be
        // labelled with its pod, which did not make them. Its span proxy
        // refuses batches that name a k8s.* resource attribute.
        pod_association: [{ sources: [{ from: 'resource_attribute', name: 'k8s.pod.uid' }] }],
        extract: {
          metadata: ['k8s.namespace.name', 'k8s.pod.name', 'k8s.pod.uid', 'k8s.deployment.name', 'k8s.node.name'],
        },
      },
      batch: { send_batch_size: 1024, timeout: '1s' },
    },
    connectors: {
      span_metrics: {
        namespace: SPAN_METRICS.namespace,
        histogram: { unit: SPAN_METRICS.unit, explicit: { buckets: [...SPAN_METRICS.buckets] } },
        exemplars: { enabled: true },
        metrics_flush_interval: '15s',
        aggregation_temporality: 'AGGREGATION_TEMPORALITY_CUMULATIVE',
      },
    },
    exporters: {
      'otlp_grpc/jaeger': {
        endpoint: `${s.fqdn(JAEGER.name, 'observability')}:${JAEGER.otlpGrpc}`,
        tls: { insecure: true },
      },
      prometheus: {
        endpoint: `\${env:K8S_POD_IP}:${COLLECTOR.prometheus}`,
        // OpenMetrics carries the exemplars (trace ids) Grafana links to Jaeger.
        enable_open_metrics: true,
        metric_expiration: '10m',
      },
      // Logs stay in the pods' stdout; OTLP logs are accepted and dropped.
      nop: {},
    },
    service: {
      extensions: ['health_check'],
      pipelines: {
        traces: { receivers: ['otlp'], processors: ['memory_limiter', 'k8s_attributes', 'batch'], exporters: ['otlp_grpc/jaeger', 'span_metrics'] },
        metrics: { receivers: ['otlp', 'span_metrics', 'kafka_metrics'], processors: ['memory_limiter', 'k8s_attributes', 'batch'], exporters: ['prometheus'] },
        logs: { receivers: ['otlp'], processors: ['memory_limiter'], exporters: ['nop'] },
      },
      telemetry: { logs: { level: 'info' } },
    },
  };
}

export class OtelCollector extends Construct {
  constructor(scope: Construct, id: string, props: { settings: Settings }) {
    super(scope, id);
    const s = props.settings;
    const { name } = COLLECTOR;
    const namespace = s.namespace('observability');
    const labels = labelsFor(name, 'telemetry');
    const selector = selectorFor(name);

    const sa = new k8s.KubeServiceAccount(this, 'sa', { metadata: { name, namespace, labels } });
    // What k8s_attributes reads: pods and namespaces, and replicasets to name the Deployment.
    const role = new k8s.KubeClusterRole(this, 'role', {
      metadata: { name: `${namespace}-${name}`, labels },
      rules: [
        { apiGroups: [''], resources: ['pods', 'namespaces'], verbs: ['get', 'list', 'watch'] },
        { apiGroups: ['apps'], resources: ['replicasets'], verbs: ['get', 'list', 'watch'] },
      ],
    });
    new k8s.KubeClusterRoleBinding(this, 'binding', {
      metadata: { name: `${namespace}-${name}`, labels },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: role.name },
      subjects: [{ kind: 'ServiceAccount', name: sa.name, namespace }],
    });

    const configName = `${name}-config`;
    // Kafka in the cluster or not: one of two ConfigMaps of the same name.
    s.gate.variants(
      s.on.kafka,
      (inCluster) =>
        new k8s.KubeConfigMap(this, inCluster ? 'config' : 'config-external-kafka', {
          metadata: { name: configName, namespace, labels },
          data: { 'config.yaml': stringify(collectorConfig(s, inCluster), { lineWidth: 0 }) },
        }),
    );

    new k8s.KubeDaemonSet(this, 'daemonset', {
      metadata: { name, namespace, labels },
      spec: {
        selector: { matchLabels: selector },
        updateStrategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: k8s.IntOrString.fromNumber(1) } },
        template: {
          metadata: { labels },
          spec: {
            serviceAccountName: sa.name,
            // k8s_attributes talks to the API server with this token.
            automountServiceAccountToken: true,
            enableServiceLinks: false,
            securityContext: podSecurityContext(COLLECTOR_UID),
            terminationGracePeriodSeconds: 30,
            containers: [
              {
                name: 'otel-collector',
                image: IMAGES.collector,
                args: ['--config=/conf/config.yaml'],
                env: [
                  fieldEnv('K8S_NODE_NAME', 'spec.nodeName'),
                  fieldEnv('K8S_POD_IP', 'status.podIP'),
                  { name: 'GOMEMLIMIT', value: `${s.goMemLimit('collector')}` },
                ],
                ports: [
                  { name: 'otlp-grpc', containerPort: COLLECTOR.otlpGrpc, hostPort: s.v.observability.collector.hostPorts.otlpGrpc.field, protocol: 'TCP' },
                  { name: 'otlp-http', containerPort: COLLECTOR.otlpHttp, hostPort: s.v.observability.collector.hostPorts.otlpHttp.field, protocol: 'TCP' },
                  { name: 'metrics', containerPort: COLLECTOR.prometheus, protocol: 'TCP' },
                  { name: 'health', containerPort: COLLECTOR.health, protocol: 'TCP' },
                ],
                resources: resources(s.v.observability.collector.resources),
                securityContext: containerSecurityContext(),
                livenessProbe: httpProbe('/', 'health'),
                readinessProbe: httpProbe('/', 'health', { periodSeconds: 5 }),
                volumeMounts: [
                  { name: 'config', mountPath: '/conf', readOnly: true },
                  { name: 'tmp', mountPath: '/tmp' },
                ],
              },
            ],
            volumes: [{ name: 'config', configMap: { name: configName } }, tmpVolume()],
          },
        },
      },
    });

    // Headless: Prometheus discovers every collector pod through DNS (no API access needed).
    new k8s.KubeService(this, 'metrics', {
      metadata: { name: `${name}-metrics`, namespace, labels },
      spec: {
        clusterIp: 'None',
        selector,
        ports: [{ name: 'metrics', port: COLLECTOR.prometheus, targetPort: k8s.IntOrString.fromString('metrics'), protocol: 'TCP' }],
      },
    });
  }
}
