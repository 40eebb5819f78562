// Kafka without an operator (kafka.operator=none), for a cluster where
// installing Strimzi first is one step too many: the chart runs the same
// Kafka release itself, from the image Apache Kafka publishes. What Strimzi
// would make of kafka.ts's resources, written out:
//
// - one KRaft node, broker and controller (a StatefulSet named as Strimzi
//   names the node pool's pods, with its volume claim), configured with the
//   same broker settings, the restricted security context;
// - the Services clients find it by, under Strimzi's names, so that the
//   services and the collector use one address in either mode;
// - the topics, created by a Job with Kafka's own kafka-topics.sh
//   (idempotent: --if-not-exists).
//
// The broker's NetworkPolicy (Strimzi's from the listener's peers) is among
// the others (network-policies.ts).
import { createHash } from 'node:crypto';
import { Construct } from 'constructs';
import { k8s } from 'cdk8s-plus-34';
import { IMAGES } from '../model/images.ts';
import { containerSecurityContext, fieldEnv, podSecurityContext, quantity, resources } from '../model/security.ts';
import type { Settings } from '../model/settings.ts';
import { SIZES } from '../model/sizing.ts';
import { KAFKA, KAFKA_POD_LABELS, KAFKA_TOPICS_JOB, labelsFor } from '../model/topology.ts';
import { KAFKA_BROKER_CONFIG, KAFKA_TOPICS } from './kafka.ts';

/** The image's own user, appuser (its Dockerfile: adduser on Alpine). */
export const KAFKA_UID = 1000;
/** Where the image keeps Kafka (the release's distribution). */
const KAFKA_HOME = '/opt/kafka';
const DATA = '/var/lib/kafka/data';
/** The KRaft controller, on the pod's loopback: one node is its own quorum. */
const CONTROLLER_PORT = 9093;
/**
 * The cluster id the node's storage is formatted with, once (Strimzi makes
 * one up per cluster). Fixed, so the manifests are the same on every render.
 */
export const KAFKA_CLUSTER_ID = 'kRwl6g5bFcKQoy-YhlOjfw';

/** Strimzi's names for our cluster's objects (the chart's own broker uses them too). */
export const KAFKA_NAMES = {
  nodes: `${KAFKA.cluster}-${KAFKA.nodePool}`,
  bootstrap: `${KAFKA.cluster}-kafka-bootstrap`,
  brokers: `${KAFKA.cluster}-kafka-brokers`,
} as const;

const properties = (entries: Record<string, string | number | boolean>) =>
  Object.entries(entries)
    .map(([k, v]) => `${k}=${v}`)
    .join('\n');

export class KafkaBroker extends Construct {
  constructor(scope: Construct, id: string, props: { settings: Settings }) {
    super(scope, id);
    const s = props.settings;
    const v = s.v.kafka;
    const namespace = s.namespace('kafka');
    const labels = { ...labelsFor('kafka', 'broker'), ...KAFKA_POD_LABELS };
    const selector = { ...KAFKA_POD_LABELS };
    const config = properties({
      'process.roles': 'broker,controller',
      'node.id': 0,
      'controller.quorum.bootstrap.servers': `localhost:${CONTROLLER_PORT}`,
      listeners: `PLAIN://:${KAFKA.port},CONTROLLER://localhost:${CONTROLLER_PORT}`,
      'listener.security.protocol.map': 'PLAIN:PLAINTEXT,CONTROLLER:PLAINTEXT',
      'inter.broker.listener.name': 'PLAIN',
      'controller.listener.names': 'CONTROLLER',
      // A directory of its own: a fresh volume's root may hold lost+found.
      'log.dirs': `${DATA}/kafka-log0`,
      ...KAFKA_BROKER_CONFIG,
    });
    // The pod's own name is in the advertised address (a StatefulSet's stable DNS name).
    const start = [
      'set -eu',
      `cat > /tmp/server.properties <<PROPERTIES`,
      config,
      `advertised.listeners=PLAIN://$POD_NAME.${KAFKA_NAMES.brokers}.${namespace}.svc.cluster.local:${KAFKA.port}`,
      'PROPERTIES',
      `${KAFKA_HOME}/bin/kafka-storage.sh format --standalone --ignore-formatted --cluster-id ${KAFKA_CLUSTER_ID} --config /tmp/server.properties`,
      `exec ${KAFKA_HOME}/bin/kafka-server-start.sh /tmp/server.properties`,
    ].join('\n');
    const clients = k8s.IntOrString.fromString('tcp-clients');

    new k8s.KubeStatefulSet(this, 'statefulset', {
      metadata: { name: KAFKA_NAMES.nodes, namespace, labels },
      spec: {
        serviceName: KAFKA_NAMES.brokers,
        replicas: 1,
        podManagementPolicy: 'Parallel',
        selector: { matchLabels: selector },
        template: {
          metadata: { labels },
          spec: {
            automountServiceAccountToken: false,
            enableServiceLinks: false,
            securityContext: podSecurityContext(KAFKA_UID),
            terminationGracePeriodSeconds: 60,
            containers: [
              {
                name: 'kafka',
                image: IMAGES.kafka,
                command: ['/bin/sh', '-c', start],
                env: [
                  fieldEnv('POD_NAME', 'metadata.name'),
                  { name: 'KAFKA_HEAP_OPTS', value: `-Xms${v.heap} -Xmx${v.heap}` },
                  // kafka-run-class.sh writes its logs there; the root filesystem is read-only.
                  { name: 'LOG_DIR', value: '/tmp/logs' },
                ],
                ports: [
                  { name: 'tcp-clients', containerPort: KAFKA.port, protocol: 'TCP' },
                  { name: 'tcp-ctrlplane', containerPort: CONTROLLER_PORT, protocol: 'TCP' },
                ],
                resources: resources(v.resources),
                securityContext: containerSecurityContext(),
                startupProbe: { tcpSocket: { port: clients }, periodSeconds: 5, failureThreshold: 60 },
                readinessProbe: { tcpSocket: { port: clients }, periodSeconds: 5, failureThreshold: 3 },
                livenessProbe: { tcpSocket: { port: clients }, periodSeconds: 10, failureThreshold: 6 },
                volumeMounts: [
                  { name: 'data', mountPath: DATA },
                  { name: 'tmp', mountPath: '/tmp' },
                ],
              },
            ],
            volumes: [{ name: 'tmp', emptyDir: { sizeLimit: k8s.Quantity.fromString('256Mi') } }],
          },
        },
        volumeClaimTemplates: [
          {
            metadata: { name: 'data', labels },
            spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: quantity(v.storage.size) } } },
          },
        ],
      },
    });

    const port = { name: 'tcp-clients', port: KAFKA.port, targetPort: clients, protocol: 'TCP' };
    new k8s.KubeService(this, 'bootstrap', {
      metadata: { name: KAFKA_NAMES.bootstrap, namespace, labels },
      spec: { selector, ports: [port] },
    });
    new k8s.KubeService(this, 'brokers', {
      metadata: { name: KAFKA_NAMES.brokers, namespace, labels },
      // The broker's own address must resolve before it is ready: it is its own controller.
      spec: { clusterIp: 'None', publishNotReadyAddresses: true, selector, ports: [port] },
    });

    this.topicsJob(namespace);
  }

  /**
   * A Job's pod template cannot change, so its name carries a hash of what
   * it runs: a chart that changes it makes a new Job on upgrade (Helm
   * removes the old one) instead of failing to patch.
   */
  private topicsJob(namespace: string): void {
    const bootstrap = `${KAFKA_NAMES.bootstrap}.${namespace}.svc.cluster.local:${KAFKA.port}`;
    const creates = KAFKA_TOPICS.map((t) =>
      [
        `${KAFKA_HOME}/bin/kafka-topics.sh --bootstrap-server "$BOOTSTRAP" --create --if-not-exists`,
        `--topic ${t.name} --partitions ${t.partitions} --replication-factor 1`,
        ...Object.entries(t.config).map(([k, value]) => `--config ${k}=${value}`),
      ].join(' '),
    );
    const script = ['set -eu', ...creates].join('\n');
    const hash = createHash('sha256')
      .update(JSON.stringify({ image: IMAGES.kafka, script }))
      .digest('hex')
      .slice(0, 8);
    const labels = labelsFor(KAFKA_TOPICS_JOB, 'kafka-topics');
    new k8s.KubeJob(this, 'topics', {
      metadata: { name: `${KAFKA_TOPICS_JOB}-${hash}`, namespace, labels },
      spec: {
        // The broker may still be starting: each attempt fails after a minute, then the next one.
        backoffLimit: 20,
        template: {
          metadata: { labels },
          spec: {
            restartPolicy: 'OnFailure',
            automountServiceAccountToken: false,
            enableServiceLinks: false,
            securityContext: podSecurityContext(KAFKA_UID),
            containers: [
              {
                name: 'topics',
                image: IMAGES.kafka,
                command: ['/bin/sh', '-c', script],
                env: [
                  { name: 'BOOTSTRAP', value: bootstrap },
                  { name: 'KAFKA_HEAP_OPTS', value: `-Xmx${SIZES.kafkaTopicsJobHeap}` },
                  { name: 'LOG_DIR', value: '/tmp/logs' },
                ],
                resources: resources(SIZES.kafkaTopicsJob),
                securityContext: containerSecurityContext(),
                volumeMounts: [{ name: 'tmp', mountPath: '/tmp' }],
              },
            ],
            volumes: [{ name: 'tmp', emptyDir: { sizeLimit: k8s.Quantity.fromString('64Mi') } }],
          },
        },
      },
    });
  }
}
