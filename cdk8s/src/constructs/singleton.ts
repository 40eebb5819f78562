// The shape Jaeger, Prometheus, Grafana and Redis share: one replica of one
// hardened container, replaced rather than rolled (their state is in memory
// or on an emptyDir: two at once would split it), and a ClusterIP Service
// whose ports target the container's named ports.
import type { Construct } from 'constructs';
import { k8s } from 'cdk8s-plus-34';
import { containerSecurityContext, podSecurityContext, tmpVolume } from '../model/security.ts';

export interface SingletonWorkload {
  name: string;
  namespace: string;
  labels: Record<string, string>;
  selector: Record<string, string>;
  /** The image's own non-root user (and group). */
  uid: number;
  /** The container; its name is the workload's, and its security context the restricted one. */
  container: Omit<k8s.Container, 'name' | 'securityContext'>;
  /** Volumes besides /tmp, which every singleton gets (the root filesystem is read-only). */
  volumes: k8s.Volume[];
  /** Native sidecars (init containers that restart Always), complete with their security context. */
  sidecars?: k8s.Container[];
  /** Its ServiceAccount (no API token is mounted either way; a sidecar that needs one mounts a projected token). */
  serviceAccountName?: string;
}

export function singletonDeployment(scope: Construct, workload: SingletonWorkload): k8s.KubeDeployment {
  const { name, namespace, labels, selector, uid, container } = workload;
  return new k8s.KubeDeployment(scope, 'deployment', {
    metadata: { name, namespace, labels },
    spec: {
      replicas: 1,
      strategy: { type: 'Recreate' },
      selector: { matchLabels: selector },
      template: {
        metadata: { labels },
        spec: {
          ...(workload.serviceAccountName ? { serviceAccountName: workload.serviceAccountName } : {}),
          automountServiceAccountToken: false,
          enableServiceLinks: false,
          securityContext: podSecurityContext(uid),
          ...(workload.sidecars?.length ? { initContainers: workload.sidecars } : {}),
          containers: [{ name, ...container, securityContext: containerSecurityContext() }],
          volumes: [...workload.volumes, tmpVolume()],
        },
      },
    },
  });
}

export interface ServicePort {
  /** The container port's name, also the Service port's. */
  name: string;
  port: number;
  appProtocol?: string;
}

export function namedPortService(
  scope: Construct,
  workload: Pick<SingletonWorkload, 'name' | 'namespace' | 'labels' | 'selector'>,
  ports: ServicePort[],
): k8s.KubeService {
  const { name, namespace, labels, selector } = workload;
  return new k8s.KubeService(scope, 'service', {
    metadata: { name, namespace, labels },
    spec: {
      selector,
      ports: ports.map((p) => ({
        name: p.name,
        port: p.port,
        targetPort: k8s.IntOrString.fromString(p.name),
        protocol: 'TCP',
        ...(p.appProtocol ? { appProtocol: p.appProtocol } : {}),
      })),
    },
  });
}

/** The /tmp mount that goes with the volume singletonDeployment adds. */
export const TMP_MOUNT: k8s.VolumeMount = { name: 'tmp', mountPath: '/tmp' };
