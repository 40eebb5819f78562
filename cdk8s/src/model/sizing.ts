// Requests and limits of every container of the stack, in one place, sized
// for a laptop kind cluster (goal: at most 3 CPU and 4 GiB requested in
// total; `make budget` prints the sum and a test holds it). Requests are what
// the components use at rest; limits leave room for bursts and JVM/V8 heaps.
// The Strimzi operator's own chart is sized from here too.

export interface Resources {
  requests: { cpu: string; memory: string };
  limits: { cpu: string; memory: string };
}

const r = (reqCpu: string, reqMem: string, limCpu: string, limMem: string): Resources => ({
  requests: { cpu: reqCpu, memory: reqMem },
  limits: { cpu: limCpu, memory: limMem },
});

export const SIZES = {
  /** Each Node service (and its migration init container). V8's heap is capped below the limit (NODE_OPTIONS). */
  service: r('50m', '128Mi', '500m', '256Mi'),
  nodeMaxOldSpaceMb: 160,
  /** The storefront: a Node process like a service, rendering pages and forwarding the pages' spans. */
  storefront: r('25m', '128Mi', '500m', '256Mi'),
  postgres: r('100m', '256Mi', '1', '512Mi'),
  redis: r('25m', '48Mi', '250m', '128Mi'),
  /** redis maxmemory, under the limit. */
  redisMaxMemory: '96mb',
  /** Redis's append-only file, with room for a rewrite beside the old one. */
  redisData: '256Mi',
  /** One KRaft node, broker and controller: the biggest thing in the stack. */
  kafka: r('250m', '896Mi', '1', '1Gi'),
  kafkaHeap: '512m',
  kafkaStorage: '2Gi',
  topicOperator: r('50m', '256Mi', '500m', '320Mi'),
  /** The Job that creates the topics without an operator (kafka-topics.sh, one JVM per topic). */
  kafkaTopicsJob: r('50m', '160Mi', '500m', '256Mi'),
  kafkaTopicsJobHeap: '128m',
  topicOperatorHeap: '160m',
  /** The Strimzi cluster operator (its Helm chart's default asks for 200m / 384Mi). */
  strimziOperator: r('100m', '320Mi', '500m', '384Mi'),
  collector: r('50m', '128Mi', '500m', '320Mi'),
  jaeger: r('50m', '128Mi', '500m', '512Mi'),
  prometheus: r('50m', '256Mi', '500m', '512Mi'),
  prometheusStorage: '1Gi',
  grafana: r('50m', '160Mi', '500m', '384Mi'),
  /** A handful of alerts, no clustering: Alertmanager idles at about 20 MiB. */
  alertmanager: r('10m', '32Mi', '100m', '64Mi'),
  /** flagd: a few flags, no evaluation traffic (the services evaluate in-process); it idles at about 20 MiB. */
  flagd: r('10m', '32Mi', '200m', '64Mi'),
  /** flag-sync, flagd's sidecar: a Node process holding one watch. */
  flagSync: r('10m', '64Mi', '100m', '128Mi'),
  /** The load generator: a Node process sending a few orders a second; its limit is every Node workload's, for V8's heap cap. */
  loadGenerator: r('10m', '96Mi', '250m', '256Mi'),
  postgresStorage: '1Gi',
  tmp: '64Mi',
} as const;

/** Bytes of a Kubernetes memory quantity (Ki, Mi, Gi, k, M, G). */
export function memoryBytes(q: string): number {
  const m = /^(\d+(?:\.\d+)?)(Ki|Mi|Gi|Ti|k|M|G|T)?$/.exec(q);
  if (!m) throw new Error(`not a memory quantity: ${q}`);
  const units: Record<string, number> = { Ki: 2 ** 10, Mi: 2 ** 20, Gi: 2 ** 30, Ti: 2 ** 40, k: 1e3, M: 1e6, G: 1e9, T: 1e12 };
  return Number(m[1]) * (m[2] ? units[m[2]]! : 1);
}

/** Millicores of a Kubernetes CPU quantity (500m, 1, 0.5). */
export function cpuMillis(q: string): number {
  const m = /^(\d+(?:\.\d+)?)(m)?$/.exec(q);
  if (!m) throw new Error(`not a CPU quantity: ${q}`);
  return m[2] ? Number(m[1]) : Number(m[1]) * 1000;
}

/** GOMEMLIMIT for a Go process: 80% of its memory limit, in MiB. */
export function goMemLimit(res: Resources): string {
  return `${Math.floor((memoryBytes(res.limits.memory) * 0.8) / 2 ** 20)}MiB`;
}
