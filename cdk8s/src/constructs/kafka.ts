// Kafka through Strimzi (kafka.strimzi.io/v1, KRaft only): one node that is
// both controller and broker (a KafkaNodePool), a plain internal listener
// that only the clients named in the flows may reach (Strimzi turns
// networkPolicyPeers into the broker pods' NetworkPolicy), the topic
// operator for the two KafkaTopics, and the restricted security context on
// every container. The Strimzi kinds are typed by hand (strimzi.ts) and
// checked against the Strimzi 1.2.0 CRDs by the tests.
import { Construct } from 'constructs';
import { peersOf } from '../model/flows.ts';
import { all } from '../model/knobs.ts';
import type { Settings } from '../model/settings.ts';
import { SIZES } from '../model/sizing.ts';
import { KAFKA, PART_OF } from '../model/topology.ts';
import { Kafka, KafkaNodePool, KafkaTopic, type ContainerSecurityContext, type PodSecurityContext } from './strimzi.ts';

const podSecurity: PodSecurityContext = {
  runAsNonRoot: true,
  seccompProfile: { type: 'RuntimeDefault' },
};
/**
 * The broker pods' context. A template securityContext replaces the one
 * Strimzi would make, and for persistent storage Strimzi's own is
 * `fsGroup: 0` (BaselinePodSecurityProvider): the Kafka user (1001, group 0)
 * owns the volume through it. Without it the broker cannot write its log on
 * volumes that are not world-writable (any real cluster's; kind's local-path
 * volumes are 0777 and hide the difference).
 */
export const KAFKA_FS_GROUP = 0;
const brokerPodSecurity: PodSecurityContext = { ...podSecurity, fsGroup: KAFKA_FS_GROUP };
/**
 * The topic operator without finalizers on the KafkaTopics. With them,
 * deleting the Kafka cluster and its topics together (skaffold's clean-up
 * after Ctrl-C: one `kubectl delete --wait=false`, then the operator's
 * release) leaves every topic Terminating for ever: the operator that would
 * clear the finalizer is deleted first. Without them a KafkaTopic's deletion
 * never deletes the Kafka topic, and a topic whose resource comes back is
 * adopted again.
 */
export const TOPIC_OPERATOR_ENV = [{ name: 'STRIMZI_USE_FINALIZERS', value: 'false' }];
const containerSecurity: ContainerSecurityContext = {
  allowPrivilegeEscalation: false,
  readOnlyRootFilesystem: true,
  runAsNonRoot: true,
  capabilities: { drop: ['ALL'] },
  seccompProfile: { type: 'RuntimeDefault' },
};

/** The broker's settings, whoever runs it (Strimzi, or the chart: kafka-broker.ts). */
export const KAFKA_BROKER_CONFIG = {
  // One node: every internal topic has one replica.
  'offsets.topic.replication.factor': 1,
  'transaction.state.log.replication.factor': 1,
  'transaction.state.log.min.isr': 1,
  'default.replication.factor': 1,
  'min.insync.replicas': 1,
  'group.initial.rebalance.delay.ms': 0,
  // Topics are declared (KafkaTopic, or the chart's topics Job), not created by accident.
  'auto.create.topics.enable': false,
} as const;

/** The two topics and their settings, whoever creates them. */
export const KAFKA_TOPICS = [
  { name: KAFKA.topic, partitions: KAFKA.partitions, config: { 'retention.ms': 7 * 24 * 3600 * 1000 } },
  // Dead letters are kept longer: they wait for a human.
  { name: KAFKA.dlqTopic, partitions: KAFKA.dlqPartitions, config: { 'retention.ms': 30 * 24 * 3600 * 1000 } },
] as const;

/** Our Kafka cluster as resources of the Strimzi operator (kafka.operator=strimzi). */
export class KafkaCluster extends Construct {
  constructor(scope: Construct, id: string, props: { settings: Settings }) {
    super(scope, id);
    const s = props.settings;
    const v = s.v.kafka;
    const namespace = s.namespace('kafka');
    const cluster = KAFKA.cluster;
    const labels = { 'app.kubernetes.io/part-of': PART_OF };
    const clusterLabel = { ...labels, 'strimzi.io/cluster': cluster };

    new KafkaNodePool(this, 'pool', {
      metadata: { name: KAFKA.nodePool, namespace, labels: clusterLabel },
      spec: {
        replicas: 1,
        roles: ['controller', 'broker'],
        storage: {
          type: 'persistent-claim',
          size: v.storage.size.field,
          deleteClaim: true,
          kraftMetadata: 'shared',
        },
        resources: {
          requests: { cpu: v.resources.requests.cpu.field, memory: v.resources.requests.memory.field },
          limits: { cpu: v.resources.limits.cpu.field, memory: v.resources.limits.memory.field },
        },
        jvmOptions: { '-Xms': v.heap.field, '-Xmx': v.heap.field },
        template: {
          pod: { securityContext: brokerPodSecurity, metadata: { labels } },
          kafkaContainer: { securityContext: containerSecurity },
        },
      },
    });

    // Exactly the clients of the flows table that exist (order, notification,
    // the collector), while NetworkPolicies are on; without peers Strimzi lets everyone in.
    const peers = s.gate.list(
      peersOf(s, 'kafka').map(({ peer, when }) => ({
        value: { namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': peer.namespace } }, podSelector: { matchLabels: peer.podLabels } },
        when: all(s.on.policies, when),
      })),
    );
    const kafka = new Kafka(this, 'kafka', {
      metadata: { name: cluster, namespace, labels },
      spec: {
        kafka: {
          version: KAFKA.version,
          listeners: [
            {
              name: 'plain',
              port: KAFKA.port,
              type: 'internal',
              tls: false,
              ...(peers.values.length ? { networkPolicyPeers: peers.values } : {}),
            },
          ],
          config: KAFKA_BROKER_CONFIG,
          template: {
            pod: { securityContext: brokerPodSecurity },
            kafkaContainer: { securityContext: containerSecurity },
          },
        },
        entityOperator: {
          topicOperator: {
            resources: SIZES.topicOperator,
            jvmOptions: { '-Xms': SIZES.topicOperatorHeap, '-Xmx': SIZES.topicOperatorHeap },
          },
          template: {
            pod: { securityContext: podSecurity },
            topicOperatorContainer: { securityContext: containerSecurity, env: TOPIC_OPERATOR_ENV },
          },
        },
      },
    });

    peers.mark(kafka, '/spec/kafka/listeners/0/networkPolicyPeers');

    for (const [n, t] of KAFKA_TOPICS.entries())
      new KafkaTopic(this, n === 0 ? 'topic' : 'dlq', {
        metadata: { name: t.name, namespace, labels: clusterLabel },
        spec: { topicName: t.name, partitions: t.partitions, replicas: 1, config: { ...t.config } },
      });
  }
}
