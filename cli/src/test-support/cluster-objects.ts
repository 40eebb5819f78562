// Writes, into a bare API server, the objects `shopctl status` and the
// port-forward read, including the status a controller or kubelet would
// normally write (there is none here): through the status subresources.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  ApiextensionsV1Api,
  AppsV1Api,
  CoreV1Api,
  CustomObjectsApi,
  KubernetesObjectApi,
  PatchStrategy,
  loadYaml,
  type KubeConfig,
  type KubernetesObject,
  type V1ContainerStatus,
  type V1PodTemplateSpec,
} from '@kubernetes/client-node';
import { STRIMZI } from '../status/collect-status.ts';
import { IMAGES } from '@shop/cdk8s/images';
import { strimziCrdDir } from './repo-paths.ts';

const FIELD_MANAGER = 'shopctl-tests';

export type StrimziCondition = { type: string; status: string; reason?: string; message?: string };

export interface PodState {
  ready?: boolean;
  restarts?: number;
  /** e.g. CrashLoopBackOff: the container is waiting, not running. */
  waitingReason?: string;
  lastTerminationReason?: string;
  /** Bind the pod to this Node (there is no scheduler). */
  nodeName?: string;
}

export class ClusterObjects {
  readonly core: CoreV1Api;
  readonly apps: AppsV1Api;
  readonly custom: CustomObjectsApi;
  readonly extensions: ApiextensionsV1Api;
  readonly objects: KubernetesObjectApi;

  constructor(config: KubeConfig) {
    this.core = config.makeApiClient(CoreV1Api);
    this.apps = config.makeApiClient(AppsV1Api);
    this.custom = config.makeApiClient(CustomObjectsApi);
    this.extensions = config.makeApiClient(ApiextensionsV1Api);
    this.objects = KubernetesObjectApi.makeApiClient(config);
  }

  async namespace(name: string): Promise<void> {
    await this.core.createNamespace({ body: { metadata: { name } } });
  }

  /**
   * Server-side apply of the Strimzi CRDs we use, as the docs recommend for
   * the ~330 KB Kafka CRD (client-side apply's annotation would not fit),
   * then waits until the API server serves them.
   */
  async installStrimziCrds(): Promise<void> {
    const names: string[] = [];
    for (const file of ['040-Crd-kafka.yaml', '045-Crd-kafkanodepool.yaml']) {
      const crd = loadYaml<KubernetesObject>(readFileSync(join(strimziCrdDir(), file), 'utf8'));
      await this.apply(crd);
      names.push(crd.metadata!.name!);
    }
    const deadline = Date.now() + 30_000;
    for (const name of names) {
      for (;;) {
        const crd = await this.extensions.readCustomResourceDefinition({ name });
        if (crd.status?.conditions?.some((c) => c.type === 'Established' && c.status === 'True')) break;
        if (Date.now() > deadline) throw new Error(`CRD ${name} not Established after 30 s`);
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
    }
  }

  async deployment(namespace: string, name: string, replicas: number, ready: number): Promise<void> {
    const labels = { 'app.kubernetes.io/name': name };
    await this.apps.createNamespacedDeployment({
      namespace,
      body: {
        metadata: { name, labels },
        spec: {
          replicas,
          selector: { matchLabels: labels },
          template: {
            metadata: { labels },
            spec: { containers: [{ name, image: `otel-shop/${name}:0.1.0`, ports: [{ name: 'http', containerPort: 8080 }] }] },
          },
        },
      },
    });
    await this.deploymentStatus(namespace, name, ready);
  }

  /** What the Deployment controller would write: `ready` of spec.replicas ready, rollout complete. */
  async deploymentStatus(namespace: string, name: string, ready: number): Promise<void> {
    const current = await this.apps.readNamespacedDeployment({ name, namespace });
    const replicas = current.spec?.replicas ?? 1;
    current.status = {
      observedGeneration: current.metadata?.generation ?? 1,
      replicas,
      readyReplicas: ready,
      availableReplicas: ready,
      updatedReplicas: replicas,
    };
    await this.apps.replaceNamespacedDeploymentStatus({ name, namespace, body: current });
  }

  /** A StatefulSet whose pods carry `labels`, with what its controller would write: `ready` of `replicas` ready, all updated. */
  async statefulSet(namespace: string, name: string, labels: Record<string, string>, replicas: number, ready: number): Promise<void> {
    await this.apps.createNamespacedStatefulSet({
      namespace,
      body: {
        metadata: { name, labels },
        spec: {
          replicas,
          serviceName: name,
          selector: { matchLabels: labels },
          template: { metadata: { labels }, spec: { containers: [{ name, image: 'apache/kafka:4.3.1' }] } },
        },
      },
    });
    const current = await this.apps.readNamespacedStatefulSet({ name, namespace });
    current.status = { observedGeneration: current.metadata?.generation ?? 1, replicas, readyReplicas: ready, updatedReplicas: replicas };
    await this.apps.replaceNamespacedStatefulSetStatus({ name, namespace, body: current });
  }

  async daemonSet(namespace: string, name: string, desired: number, ready: number): Promise<void> {
    const labels = { 'app.kubernetes.io/name': name };
    await this.apps.createNamespacedDaemonSet({
      namespace,
      body: {
        metadata: { name, labels },
        spec: { selector: { matchLabels: labels }, template: { metadata: { labels }, spec: { containers: [{ name, image: IMAGES.collector }] } } },
      },
    });
    await this.daemonSetStatus(namespace, name, desired, ready);
  }

  /** What the DaemonSet controller would write for `desired` nodes. */
  async daemonSetStatus(namespace: string, name: string, desired: number, ready: number): Promise<void> {
    const current = await this.apps.readNamespacedDaemonSet({ name, namespace });
    current.status = {
      observedGeneration: current.metadata?.generation ?? 1,
      currentNumberScheduled: desired,
      desiredNumberScheduled: desired,
      numberMisscheduled: 0,
      numberReady: ready,
      numberAvailable: ready,
      updatedNumberScheduled: desired,
    };
    await this.apps.replaceNamespacedDaemonSetStatus({ name, namespace, body: current });
  }

  /** A pod with the status a kubelet would report. Without a node: port-forward to it cannot reach a kubelet. */
  async pod(namespace: string, name: string, labels: Record<string, string>, state: PodState = {}, containerPort = 8080): Promise<void> {
    const container = labels['app.kubernetes.io/name'] ?? 'app';
    await this.podFromTemplate(
      namespace,
      name,
      { metadata: { labels }, spec: { containers: [{ name: container, image: `otel-shop/${container}:0.1.0`, ports: [{ name: 'http', containerPort }] }] } },
      state,
    );
  }

  /** A pod as a controller would create it from a workload's template (so it passes the namespace's Pod Security level). */
  async podFromTemplate(namespace: string, name: string, template: V1PodTemplateSpec, state: PodState = {}): Promise<void> {
    const spec = { ...template.spec!, ...(state.nodeName ? { nodeName: state.nodeName } : {}) };
    await this.core.createNamespacedPod({ namespace, body: { metadata: { name, labels: template.metadata?.labels ?? {} }, spec } });
    const ready = state.ready ?? true;
    const containerStatuses: V1ContainerStatus[] = spec.containers.map((c, i) => ({
      name: c.name,
      image: c.image ?? '',
      imageID: '',
      ready,
      // Restarts and a stuck state are put on the first container.
      restartCount: i === 0 ? (state.restarts ?? 0) : 0,
      state: i === 0 && state.waitingReason ? { waiting: { reason: state.waitingReason } } : { running: { startedAt: new Date() } },
      ...(i === 0 && state.lastTerminationReason ? { lastState: { terminated: { exitCode: 137, reason: state.lastTerminationReason } } } : {}),
    }));
    const current = await this.core.readNamespacedPod({ name, namespace });
    current.status = {
      phase: 'Running',
      conditions: [{ type: 'Ready', status: ready ? 'True' : 'False', lastTransitionTime: new Date() }],
      containerStatuses,
    };
    await this.core.replaceNamespacedPodStatus({ name, namespace, body: current });
  }

  /** A Node whose kubelet would be at 127.0.0.1:<kubeletPort> (nothing listens there: no kubelet in these tests). */
  async node(name: string, kubeletPort: number): Promise<void> {
    await this.core.createNode({ body: { metadata: { name } } });
    const current = await this.core.readNode({ name });
    current.status = {
      addresses: [{ type: 'InternalIP', address: '127.0.0.1' }],
      daemonEndpoints: { kubeletEndpoint: { Port: kubeletPort } },
      conditions: [{ type: 'Ready', status: 'True', lastHeartbeatTime: new Date(), lastTransitionTime: new Date() }],
    };
    await this.core.replaceNodeStatus({ name, body: current });
  }

  /** A Service; `extraPorts` adds more (port = targetPort) after the first. */
  async service(
    namespace: string,
    name: string,
    selector: Record<string, string>,
    port: number,
    targetPort: number | string,
    extraPorts: number[] = [],
  ): Promise<void> {
    const ports = [{ name: 'http', port, targetPort: targetPort as never }, ...extraPorts.map((p) => ({ name: `port-${p}`, port: p, targetPort: p as never }))];
    await this.core.createNamespacedService({ namespace, body: { metadata: { name }, spec: { selector, ports } } });
  }

  /** A Kafka (kafka.strimzi.io/v1) with the conditions the operator would write. */
  async kafka(namespace: string, name: string, conditions: StrimziCondition[]): Promise<void> {
    await this.custom.createNamespacedCustomObject({
      ...STRIMZI,
      namespace,
      plural: 'kafkas',
      body: {
        apiVersion: `${STRIMZI.group}/${STRIMZI.version}`,
        kind: 'Kafka',
        metadata: { name },
        spec: { kafka: { version: '4.3.1', listeners: [{ name: 'plain', port: 9092, type: 'internal', tls: false }] } },
      },
    });
    await this.kafkaStatus(namespace, name, conditions);
  }

  async kafkaStatus(namespace: string, name: string, conditions: StrimziCondition[]): Promise<void> {
    const current = await this.custom.getNamespacedCustomObject({ ...STRIMZI, namespace, plural: 'kafkas', name });
    current.status = {
      observedGeneration: current.metadata.generation,
      kafkaVersion: '4.3.1',
      conditions: conditions.map((c) => ({ lastTransitionTime: new Date().toISOString(), ...c })),
    };
    await this.custom.replaceNamespacedCustomObjectStatus({ ...STRIMZI, namespace, plural: 'kafkas', name, body: current });
  }

  async nodePool(namespace: string, name: string, cluster: string, replicas: number, created: number): Promise<void> {
    await this.custom.createNamespacedCustomObject({
      ...STRIMZI,
      namespace,
      plural: 'kafkanodepools',
      body: {
        apiVersion: `${STRIMZI.group}/${STRIMZI.version}`,
        kind: 'KafkaNodePool',
        metadata: { name, labels: { 'strimzi.io/cluster': cluster } },
        spec: { replicas, roles: ['controller', 'broker'], storage: { type: 'ephemeral' } },
      },
    });
    await this.nodePoolStatus(namespace, name, created);
  }

  /** What Strimzi writes once it created `created` nodes of the pool. */
  async nodePoolStatus(namespace: string, name: string, created: number): Promise<void> {
    const current = await this.custom.getNamespacedCustomObject({ ...STRIMZI, namespace, plural: 'kafkanodepools', name });
    const nodeIds = Array.from({ length: created }, (_, i) => i);
    current.status = { observedGeneration: current.metadata.generation, replicas: created, nodeIds, roles: current.spec.roles, clusterId: 'test-cluster-id' };
    await this.custom.replaceNamespacedCustomObjectStatus({ ...STRIMZI, namespace, plural: 'kafkanodepools', name, body: current });
  }

  /** Server-side apply, as `kubectl apply --server-side` does. */
  async apply(object: KubernetesObject): Promise<void> {
    await this.objects.patch(object, undefined, undefined, FIELD_MANAGER, true, PatchStrategy.ServerSideApply);
  }
}
