// Where the node of `make test-cluster` keeps everything, and its network
// plan. One node: control plane and kubelet together, in a network
// namespace of its own; pods on a bridge inside it.

import path from 'node:path';

export const NODE_NAME = 'otel-shop-node';
/** The node's address: the pod bridge's own (the pods' gateway), where the API server and kubelet listen. */
export const NODE_IP = '10.244.0.1';
/** The pods of the cluster; the node's share is the first /24 of it, POD_CIDR. */
export const CLUSTER_CIDR = '10.244.0.0/16';
export const POD_CIDR = '10.244.0.0/24';
export const SERVICE_CIDR = '10.96.0.0/16';
export const KUBERNETES_SERVICE_IP = '10.96.0.1';
export const DNS_SERVICE_IP = '10.96.0.10';
export const CLUSTER_DOMAIN = 'cluster.local';
export const BRIDGE = 'cni0';
export const API_PORT = 6443;

export interface NodeLayout {
  /** Everything the node writes: configs, PKI, logs, data, the private /var/lib and /run/containerd. */
  dir: string;
  /** The network namespace (ip netns) the node lives in. */
  netns: string;
  /** cgroupRoot of the kubelet, in every hierarchy: under the cgroup this run is in. */
  cgroupRoot: string;
}

export function paths(layout: NodeLayout) {
  const d = (...p: string[]) => path.join(layout.dir, ...p);
  return {
    pki: d('pki'),
    logs: d('logs'),
    etcdData: d('etcd'),
    kubeconfig: d('kubeconfig'),
    configs: d('config'),
    // Bound over the fixed paths kubelet, libcni and the shims write to whatever their config says.
    binds: {
      '/var/lib': d('root', 'var-lib'),
      '/var/log': d('root', 'var-log'),
      '/run/containerd': d('root', 'run-containerd'),
      '/opt/containerd': d('root', 'opt-containerd'),
      '/etc/cni': d('root', 'etc-cni'),
    } as Record<string, string>,
    sysctls: d('sysctl'),
    volumes: d('volumes'),
    images: d('images'),
    pids: d('pids'),
  };
}

/** The cgroup path to put the node under: the deepest path of this process's hierarchies, when every other is on its way. */
export function cgroupParent(procSelfCgroup: string): string {
  const paths = procSelfCgroup
    .split('\n')
    .filter(Boolean)
    .map((l) => l.split(':'))
    .filter(([, controllers]) => controllers !== '') // the cgroup2 line of a hybrid layout
    .map(([, , p]) => p!.replace(/\/$/, '') || '');
  const deepest = paths.reduce((a, b) => (b.length > a.length ? b : a), '');
  for (const p of paths) {
    if (p !== '' && !`${deepest}/`.startsWith(`${p}/`))
      throw new Error(`this process's cgroups diverge (${p} vs ${deepest}): no one cgroupRoot lies under all of them`);
  }
  return deepest;
}
