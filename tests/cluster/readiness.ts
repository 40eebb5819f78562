// Whether the workloads of the cluster (or of one namespace) are ready, as
// `kubectl rollout status` judges them: deploy.ts waits on it for the tier's
// release, the two-releases test for its second one.
import type { AppsV1Api } from '@kubernetes/client-node';

export interface WorkloadState {
  id: string;
  ready: boolean;
}

export async function workloadStates(apps: AppsV1Api, namespace?: string): Promise<WorkloadState[]> {
  const [deployments, statefulSets, daemonSets] = await Promise.all(
    namespace
      ? [apps.listNamespacedDeployment({ namespace }), apps.listNamespacedStatefulSet({ namespace }), apps.listNamespacedDaemonSet({ namespace })]
      : [apps.listDeploymentForAllNamespaces(), apps.listStatefulSetForAllNamespaces(), apps.listDaemonSetForAllNamespaces()],
  );
  const out: WorkloadState[] = [];
  for (const d of deployments.items) {
    const want = d.spec?.replicas ?? 1;
    out.push({
      id: `deployment/${d.metadata!.namespace}/${d.metadata!.name}`,
      ready: (d.status?.readyReplicas ?? 0) >= want && (d.status?.updatedReplicas ?? 0) >= want,
    });
  }
  for (const s of statefulSets.items) {
    out.push({ id: `statefulset/${s.metadata!.namespace}/${s.metadata!.name}`, ready: (s.status?.readyReplicas ?? 0) >= (s.spec?.replicas ?? 1) });
  }
  for (const d of daemonSets.items) {
    out.push({
      id: `daemonset/${d.metadata!.namespace}/${d.metadata!.name}`,
      ready: (d.status?.desiredNumberScheduled ?? 0) > 0 && d.status?.numberReady === d.status?.desiredNumberScheduled,
    });
  }
  return out;
}
