// Reads the deployment's state through client-node: list calls per
// namespace (not one GET per object), so a namespace costs three requests
// whatever the number of services.
import { AppsV1Api, CoreV1Api, CustomObjectsApi, type V1DaemonSet, type V1Deployment, type V1Pod, type V1StatefulSet } from '@kubernetes/client-node';
import { apiStatusCode, kubeFailure } from '../kube/api-errors.ts';
import type { LoadedKubeConfig } from '../kube/kubeconfig.ts';
import { matchesSelector, selectorString } from './label-selector.ts';
import type { ClusterSnapshot, ConditionFacts, PodFacts, StrimziFacts, WorkloadFacts } from './snapshot.ts';

export interface StatusNames {
  namespace: string;
  /** Deployment names of the services. */
  services: string[];
  kafkaNamespace: string;
  kafkaCluster: string;
  observabilityNamespace: string;
  collector: string;
  /** The Prometheus Service the alerts are read from (port 9090). */
  prometheus: string;
}

export const STRIMZI = { group: 'kafka.strimzi.io', version: 'v1' } as const;

export function podFacts(pod: V1Pod): PodFacts {
  const containers = [...(pod.status?.initContainerStatuses ?? []), ...(pod.status?.containerStatuses ?? [])];
  return {
    name: pod.metadata?.name ?? '?',
    ready: (pod.status?.conditions ?? []).some((c) => c.type === 'Ready' && c.status === 'True'),
    restarts: containers.reduce((n, c) => n + (c.restartCount ?? 0), 0),
    waitingReasons: containers.map((c) => c.state?.waiting?.reason).filter((r): r is string => Boolean(r)),
    lastTerminationReasons: containers.map((c) => c.lastState?.terminated?.reason).filter((r): r is string => Boolean(r)),
  };
}

function deploymentFacts(namespace: string, name: string, deployment: V1Deployment | undefined, pods: V1Pod[]): WorkloadFacts {
  return {
    kind: 'Deployment',
    namespace,
    name,
    found: Boolean(deployment),
    desired: deployment?.spec?.replicas ?? 1,
    ready: deployment?.status?.readyReplicas ?? 0,
    updated: deployment?.status?.updatedReplicas ?? 0,
    generation: deployment?.metadata?.generation ?? 0,
    observedGeneration: deployment?.status?.observedGeneration ?? 0,
    pods: deployment ? pods.filter((p) => matchesSelector(p.metadata?.labels, deployment.spec?.selector)).map(podFacts) : [],
  };
}

function statefulSetFacts(namespace: string, statefulSet: V1StatefulSet, pods: V1Pod[]): WorkloadFacts {
  return {
    kind: 'StatefulSet',
    namespace,
    name: statefulSet.metadata?.name ?? '?',
    found: true,
    desired: statefulSet.spec?.replicas ?? 1,
    ready: statefulSet.status?.readyReplicas ?? 0,
    updated: statefulSet.status?.updatedReplicas ?? 0,
    generation: statefulSet.metadata?.generation ?? 0,
    observedGeneration: statefulSet.status?.observedGeneration ?? 0,
    pods: pods.filter((p) => matchesSelector(p.metadata?.labels, statefulSet.spec?.selector)).map(podFacts),
  };
}

function daemonSetFacts(namespace: string, name: string, daemonSet: V1DaemonSet | undefined, pods: V1Pod[]): WorkloadFacts {
  return {
    kind: 'DaemonSet',
    namespace,
    name,
    found: Boolean(daemonSet),
    desired: daemonSet?.status?.desiredNumberScheduled ?? 0,
    ready: daemonSet?.status?.numberReady ?? 0,
    updated: daemonSet?.status?.updatedNumberScheduled ?? 0,
    generation: daemonSet?.metadata?.generation ?? 0,
    observedGeneration: daemonSet?.status?.observedGeneration ?? 0,
    pods: daemonSet ? pods.filter((p) => matchesSelector(p.metadata?.labels, daemonSet.spec?.selector)).map(podFacts) : [],
  };
}

interface StrimziObject {
  metadata?: { name?: string; generation?: number; labels?: Record<string, string> };
  spec?: { replicas?: number };
  status?: { conditions?: ConditionFacts[]; observedGeneration?: number; replicas?: number; nodeIds?: number[]; kafkaVersion?: string };
}

function strimziFacts(kind: StrimziFacts['kind'], namespace: string, name: string, object: StrimziObject | undefined, kindKnown: boolean): StrimziFacts {
  return {
    kind,
    namespace,
    name,
    found: Boolean(object),
    kindKnown,
    generation: object?.metadata?.generation ?? 0,
    observedGeneration: object?.status?.observedGeneration ?? 0,
    conditions: (object?.status?.conditions ?? []).map(({ type, status, reason, message }) => ({ type, status, reason, message })),
    specReplicas: object?.spec?.replicas,
    statusReplicas: object?.status?.replicas,
    nodeIds: object?.status?.nodeIds,
    kafkaVersion: object?.status?.kafkaVersion,
  };
}

/**
 * A 404 from a custom-resource GET means either "no such object" (a Status
 * whose details name the object) or "no such resource type": the CRD is not
 * installed (a Status without details, or a plain "404 page not found").
 */
function kindIsUnknown(error: unknown, name: string): boolean {
  let body = (error as { body?: unknown }).body;
  if (typeof body === 'string') {
    try {
      body = JSON.parse(body);
    } catch {
      return true;
    }
  }
  return (body as { details?: { name?: string } } | undefined)?.details?.name !== name;
}

export async function collectStatus(kube: LoadedKubeConfig, names: StatusNames): Promise<ClusterSnapshot> {
  const apps = kube.config.makeApiClient(AppsV1Api);
  const core = kube.config.makeApiClient(CoreV1Api);
  const custom = kube.config.makeApiClient(CustomObjectsApi);
  const call = async <T>(what: string, request: () => Promise<T>): Promise<T> => {
    try {
      return await request();
    } catch (error) {
      throw kubeFailure(error, what, kube.server);
    }
  };

  const kafkaSelector = selectorString({ 'strimzi.io/cluster': names.kafkaCluster });
  const [deployments, shopPods, daemonSets, observabilityPods, kafkaPods, kafkaStatefulSets] = await Promise.all([
    call(`list deployments in namespace ${names.namespace}`, () => apps.listNamespacedDeployment({ namespace: names.namespace })),
    call(`list pods in namespace ${names.namespace}`, () => core.listNamespacedPod({ namespace: names.namespace })),
    call(`list daemonsets in namespace ${names.observabilityNamespace}`, () => apps.listNamespacedDaemonSet({ namespace: names.observabilityNamespace })),
    call(`list pods in namespace ${names.observabilityNamespace}`, () => core.listNamespacedPod({ namespace: names.observabilityNamespace })),
    call(`list pods in namespace ${names.kafkaNamespace}`, () => core.listNamespacedPod({ namespace: names.kafkaNamespace, labelSelector: kafkaSelector })),
    // Strimzi runs its brokers in StrimziPodSets: a StatefulSet of the cluster is the chart's own broker.
    call(`list statefulsets in namespace ${names.kafkaNamespace}`, () =>
      apps.listNamespacedStatefulSet({ namespace: names.kafkaNamespace, labelSelector: kafkaSelector }),
    ),
  ]);
  const deploymentByName = new Map(deployments.items.map((d) => [d.metadata?.name, d]));
  const collector = daemonSets.items.find((d) => d.metadata?.name === names.collector);
  const common = {
    context: kube.context,
    server: kube.server,
    services: names.services.map((name) => deploymentFacts(names.namespace, name, deploymentByName.get(name), shopPods.items)),
    collector: daemonSetFacts(names.observabilityNamespace, names.collector, collector, observabilityPods.items),
  };
  const [broker] = kafkaStatefulSets.items;
  if (broker) {
    return {
      ...common,
      kafkaBroker: statefulSetFacts(names.kafkaNamespace, broker, kafkaPods.items),
      kafka: strimziFacts('Kafka', names.kafkaNamespace, names.kafkaCluster, undefined, true),
      nodePools: [],
      nodePoolKindKnown: true,
    };
  }

  let kafkaObject: StrimziObject | undefined;
  let kafkaKindKnown = true;
  try {
    kafkaObject = (await custom.getNamespacedCustomObject({
      ...STRIMZI,
      namespace: names.kafkaNamespace,
      plural: 'kafkas',
      name: names.kafkaCluster,
    })) as StrimziObject;
  } catch (error) {
    if (apiStatusCode(error) !== 404)
      throw kubeFailure(error, `get kafkas.${STRIMZI.group} ${names.kafkaCluster} in namespace ${names.kafkaNamespace}`, kube.server);
    kafkaKindKnown = !kindIsUnknown(error, names.kafkaCluster);
  }

  let pools: StrimziObject[] = [];
  let poolKindKnown = true;
  try {
    const list = (await custom.listNamespacedCustomObject({
      ...STRIMZI,
      namespace: names.kafkaNamespace,
      plural: 'kafkanodepools',
      labelSelector: selectorString({ 'strimzi.io/cluster': names.kafkaCluster }),
    })) as { items?: StrimziObject[] };
    pools = list.items ?? [];
  } catch (error) {
    if (apiStatusCode(error) !== 404) throw kubeFailure(error, `list kafkanodepools.${STRIMZI.group} in namespace ${names.kafkaNamespace}`, kube.server);
    poolKindKnown = false;
  }

  return {
    ...common,
    kafka: strimziFacts('Kafka', names.kafkaNamespace, names.kafkaCluster, kafkaObject, kafkaKindKnown),
    nodePools: pools.map((pool) => {
      const name = pool.metadata?.name ?? '?';
      const facts = strimziFacts('KafkaNodePool', names.kafkaNamespace, name, pool, true);
      // Strimzi labels each broker/controller pod with its pool.
      facts.pods = kafkaPods.items.filter((p) => p.metadata?.labels?.['strimzi.io/pool-name'] === name).map(podFacts);
      return facts;
    }),
    nodePoolKindKnown: poolKindKnown,
  };
}
