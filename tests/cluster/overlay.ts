// The test-only overlay of the cluster tier, applied on top of the installed
// chart (never by editing it): it stands in for the two components that
// cannot be had on the test machine, and for nothing else (docs/stand-ins.md).
//
// - Strimzi: its operator is not on any reachable registry. The chart's
//   Kafka, KafkaNodePool and KafkaTopic resources are installed as they are
//   (with Strimzi's CRDs); this overlay adds what the operator would make of
//   them, read from those resources: the broker pods of the node pool (a
//   StatefulSet of the project's own Kafka build), the Services clients find
//   them by (<cluster>-kafka-bootstrap, <cluster>-kafka-brokers), the
//   NetworkPolicy the listener's networkPolicyPeers ask for, and the topics
//   (a Job in place of the topic operator). The run writes the resources'
//   status as the operator would once the broker is ready.
// - Grafana: no release can be built here. Its Deployment is removed; the
//   dashboards' queries are run against Prometheus directly.
// Pure: deploy.ts applies the result.
import { TEST_ONLY_IMAGES } from '@shop/cdk8s/images';

type Obj = Record<string, any>;

export interface Overlay {
  apply: Obj[];
  /** Objects of the chart the overlay takes away: kind, namespace, name. */
  remove: { kind: string; namespace: string; name: string }[];
}

/** Strimzi's names for a cluster's objects. */
export const strimziNames = (cluster: string) => ({
  bootstrap: `${cluster}-kafka-bootstrap`,
  brokers: `${cluster}-kafka-brokers`,
  entityOperator: `${cluster}-entity-operator`,
  networkPolicy: `${cluster}-network-policy-kafka`,
});

function find(objects: Obj[], kind: string): Obj[] {
  return objects.filter((o) => o.kind === kind && o.apiVersion?.startsWith('kafka.strimzi.io/'));
}

function configLines(config: Record<string, unknown>): string {
  return Object.entries(config)
    .map(([k, v]) => `${k}=${v}`)
    .join('\n');
}

/** A node app that creates the topics of the KafkaTopic resources (as the topic operator would), idempotently. */
function topicScript(bootstrap: string, topics: Obj[]): string {
  const specs = topics.map((t) => ({
    topic: t.spec.topicName ?? t.metadata.name,
    numPartitions: t.spec.partitions,
    replicationFactor: t.spec.replicas,
    configEntries: Object.entries(t.spec.config ?? {}).map(([name, value]) => ({ name, value: String(value) })),
  }));
  return [
    "const { Kafka } = require('kafkajs');",
    `const admin = new Kafka({ clientId: 'topic-operator-stand-in', brokers: [${JSON.stringify(bootstrap)}], retry: { retries: 30 } }).admin();`,
    `const topics = ${JSON.stringify(specs)};`,
    '(async () => {',
    '  await admin.connect();',
    '  const existing = new Set(await admin.listTopics());',
    '  const missing = topics.filter((t) => !existing.has(t.topic));',
    '  if (missing.length) await admin.createTopics({ topics: missing, waitForLeaders: true });',
    "  console.log('topics ready:', topics.map((t) => t.topic).join(', '));",
    '  await admin.disconnect();',
    '})().catch((e) => { console.error(e); process.exit(1); });',
  ].join('\n');
}

/**
 * The overlay for a rendered chart. `topicImage` is an image that has node
 * and kafkajs (one of the services').
 */
export function overlay(objects: Obj[], topicImage: string): Overlay {
  const [kafka] = find(objects, 'Kafka');
  if (!kafka) throw new Error('the chart has no Kafka resource');
  const cluster = kafka.metadata.name as string;
  const namespace = kafka.metadata.namespace as string;
  const names = strimziNames(cluster);
  const listener = kafka.spec.kafka.listeners[0];
  const port = listener.port as number;
  const pools = find(objects, 'KafkaNodePool').filter((p) => p.metadata.labels?.['strimzi.io/cluster'] === cluster);
  const topics = find(objects, 'KafkaTopic').filter((t) => t.metadata.labels?.['strimzi.io/cluster'] === cluster);
  const clusterLabels = { 'strimzi.io/cluster': cluster, 'strimzi.io/kind': 'Kafka' };
  const apply: Obj[] = [];

  for (const pool of pools) {
    const podLabels = {
      ...clusterLabels,
      'strimzi.io/name': `${cluster}-kafka`,
      'strimzi.io/pool-name': pool.metadata.name,
      ...(pool.spec.template?.pod?.metadata?.labels ?? {}),
    };
    const heap = pool.spec.jvmOptions?.['-Xmx'] ?? pool.spec.jvmOptions?.xmx ?? '512m';
    apply.push({
      apiVersion: 'apps/v1',
      kind: 'StatefulSet',
      metadata: { name: `${cluster}-${pool.metadata.name}`, namespace, labels: podLabels },
      spec: {
        serviceName: names.brokers,
        replicas: pool.spec.replicas,
        podManagementPolicy: 'Parallel',
        selector: { matchLabels: { ...clusterLabels, 'strimzi.io/pool-name': pool.metadata.name } },
        template: {
          metadata: { labels: podLabels },
          spec: {
            automountServiceAccountToken: false,
            enableServiceLinks: false,
            securityContext: pool.spec.template?.pod?.securityContext ?? {},
            terminationGracePeriodSeconds: 30,
            containers: [
              {
                name: 'kafka',
                image: TEST_ONLY_IMAGES.kafka.reference,
                env: [
                  { name: 'POD_NAME', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } },
                  { name: 'KAFKA_ADVERTISED_HOST', value: `$(POD_NAME).${names.brokers}.${namespace}.svc.cluster.local` },
                  { name: 'KAFKA_PORT', value: String(port) },
                  { name: 'KAFKA_HEAP', value: String(heap) },
                  { name: 'KAFKA_CONFIG', value: configLines(kafka.spec.kafka.config ?? {}) },
                ],
                ports: [
                  { name: 'tcp-clients', containerPort: port, protocol: 'TCP' },
                  { name: 'tcp-ctrlplane', containerPort: 9093, protocol: 'TCP' },
                ],
                resources: pool.spec.resources,
                securityContext: pool.spec.template?.kafkaContainer?.securityContext ?? {},
                readinessProbe: { tcpSocket: { port }, periodSeconds: 5, initialDelaySeconds: 5 },
                livenessProbe: { tcpSocket: { port }, periodSeconds: 10, failureThreshold: 12, initialDelaySeconds: 30 },
                volumeMounts: [
                  { name: 'data', mountPath: '/var/lib/kafka' },
                  { name: 'tmp', mountPath: '/tmp' },
                ],
              },
            ],
            volumes: [{ name: 'tmp', emptyDir: { sizeLimit: '64Mi' } }],
          },
        },
        volumeClaimTemplates: [
          {
            metadata: { name: 'data' },
            spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: pool.spec.storage.size } } },
          },
        ],
      },
    });
  }

  apply.push(
    {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: names.bootstrap, namespace, labels: clusterLabels },
      spec: { selector: clusterLabels, ports: [{ name: 'tcp-clients', port, targetPort: port, protocol: 'TCP' }] },
    },
    {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: names.brokers, namespace, labels: clusterLabels },
      spec: {
        clusterIP: 'None',
        publishNotReadyAddresses: true,
        selector: clusterLabels,
        ports: [{ name: 'tcp-clients', port, targetPort: port, protocol: 'TCP' }],
      },
    },
    {
      // What Strimzi makes of networkPolicyPeers: the listener port from those
      // peers (and from its own topic operator) only.
      apiVersion: 'networking.k8s.io/v1',
      kind: 'NetworkPolicy',
      metadata: { name: names.networkPolicy, namespace, labels: clusterLabels },
      spec: {
        podSelector: { matchLabels: clusterLabels },
        policyTypes: ['Ingress'],
        ingress: [
          {
            from: [...(listener.networkPolicyPeers ?? []), { podSelector: { matchLabels: { 'strimzi.io/name': names.entityOperator } } }],
            ports: [{ port, protocol: 'TCP' }],
          },
        ],
      },
    },
    {
      apiVersion: 'batch/v1',
      kind: 'Job',
      metadata: { name: `${names.entityOperator}-topics`, namespace, labels: { 'strimzi.io/name': names.entityOperator } },
      spec: {
        backoffLimit: 20,
        template: {
          metadata: { labels: { 'strimzi.io/name': names.entityOperator } },
          spec: {
            restartPolicy: 'OnFailure',
            automountServiceAccountToken: false,
            securityContext: { runAsNonRoot: true, runAsUser: 1000, runAsGroup: 1000, seccompProfile: { type: 'RuntimeDefault' } },
            containers: [
              {
                name: 'topics',
                image: topicImage,
                workingDir: '/app/services/order',
                command: ['node', '-e', topicScript(`${names.bootstrap}.${namespace}.svc.cluster.local:${port}`, topics)],
                resources: { requests: { cpu: '20m', memory: '64Mi' }, limits: { cpu: '500m', memory: '128Mi' } },
                securityContext: { allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, runAsNonRoot: true, capabilities: { drop: ['ALL'] } },
              },
            ],
          },
        },
      },
    },
  );

  const grafana = objects.filter((o) => o.kind === 'Deployment' && o.metadata.name === 'grafana');
  return { apply, remove: grafana.map((g) => ({ kind: 'Deployment', namespace: g.metadata.namespace, name: g.metadata.name })) };
}
