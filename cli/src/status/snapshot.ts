// What `shopctl status` reads from the cluster, reduced to the facts the
// verdicts use. Collecting (collect-status.ts) and judging
// (assess-status.ts) are separate so the rules are testable on plain data.

export interface PodFacts {
  name: string;
  ready: boolean;
  restarts: number;
  /** Why a container is not running now (CrashLoopBackOff, ImagePullBackOff, ...). */
  waitingReasons: string[];
  /** Why containers last died (OOMKilled, Error), for context next to restarts. */
  lastTerminationReasons: string[];
}

export interface WorkloadFacts {
  kind: 'Deployment' | 'DaemonSet' | 'StatefulSet';
  namespace: string;
  name: string;
  found: boolean;
  /** Deployment, StatefulSet: spec.replicas; DaemonSet: status.desiredNumberScheduled. */
  desired: number;
  ready: number;
  updated: number;
  generation: number;
  observedGeneration: number;
  pods: PodFacts[];
}

export interface ConditionFacts {
  type: string;
  status: string;
  reason?: string | undefined;
  message?: string | undefined;
}

export interface StrimziFacts {
  kind: 'Kafka' | 'KafkaNodePool';
  namespace: string;
  name: string;
  found: boolean;
  /** False when the API server does not know the kind at all (Strimzi CRDs not installed). */
  kindKnown: boolean;
  generation: number;
  observedGeneration: number;
  conditions: ConditionFacts[];
  /** KafkaNodePool: spec.replicas / status.replicas / status.nodeIds; Kafka: its version. */
  specReplicas?: number | undefined;
  statusReplicas?: number | undefined;
  nodeIds?: number[] | undefined;
  kafkaVersion?: string | undefined;
  pods?: PodFacts[] | undefined;
}

export interface ClusterSnapshot {
  context: string;
  server: string;
  services: WorkloadFacts[];
  /**
   * Kafka run by the chart itself (kafka.operator=none): the StatefulSet
   * labelled strimzi.io/cluster=<cluster>. When there is one, the Strimzi
   * resources are not read (kafka is then not found, nodePools empty).
   */
  kafkaBroker?: WorkloadFacts | undefined;
  kafka: StrimziFacts;
  /** The pools labelled strimzi.io/cluster=<cluster>; empty when none. */
  nodePools: StrimziFacts[];
  nodePoolKindKnown: boolean;
  collector: WorkloadFacts;
}
