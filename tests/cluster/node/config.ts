// The configuration files of the node's daemons, as text. Pure: node.ts
// writes them. Each setting that keeps the host as it was says so.
import { stringify } from 'yaml';
import { API_PORT, BRIDGE, CLUSTER_CIDR, CLUSTER_DOMAIN, DNS_SERVICE_IP, NODE_IP, NODE_NAME, POD_CIDR } from './layout.ts';
import type { Pki } from './pki.ts';

export const SANDBOX_IMAGE = 'registry.k8s.io/pause:3.10.1';

export function kubeconfig(pki: Pki, user: string, server = `https://127.0.0.1:${API_PORT}`): string {
  return stringify({
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [{ name: NODE_NAME, cluster: { server, 'certificate-authority': pki.ca } }],
    users: [{ name: user, user: { 'client-certificate': pki.file(user, 'crt'), 'client-key': pki.file(user, 'key') } }],
    contexts: [{ name: NODE_NAME, context: { cluster: NODE_NAME, user } }],
    'current-context': NODE_NAME,
  });
}

/**
 * What kubelet wants the kernel-wide sysctls to be. With protectKernelDefaults
 * it only reads them and refuses to start on a difference; node.ts binds
 * read-only files with these values over them in the node's mount namespace,
 * so nothing on the host is read as wrong or written.
 */
export const KUBELET_SYSCTLS: Record<string, string> = {
  'vm/overcommit_memory': '1',
  'vm/panic_on_oom': '0',
  'kernel/panic': '10',
  'kernel/panic_on_oops': '1',
  'kernel/keys/root_maxkeys': '1000000',
  'kernel/keys/root_maxbytes': '25000000',
};

export function kubeletConfig(o: { pki: Pki; cgroupRoot: string; resolvConf: string; staticPods?: string }): string {
  return stringify({
    apiVersion: 'kubelet.config.k8s.io/v1beta1',
    kind: 'KubeletConfiguration',
    // This kernel mounts cgroup v1 (hybrid); 1.35+ refuses it unless told.
    failCgroupV1: false,
    cgroupDriver: 'cgroupfs',
    // Pod cgroups under this run's own cgroup, never at the hierarchy roots.
    cgroupRoot: o.cgroupRoot,
    cgroupsPerQOS: true,
    enforceNodeAllocatable: ['pods'],
    // Check the kernel-wide sysctls, never write them (see KUBELET_SYSCTLS).
    protectKernelDefaults: true,
    // No iptables chains of kubelet's own (kube-proxy has what Services need).
    makeIPTablesUtilChains: false,
    // This process may not lower oom_score_adj.
    oomScoreAdj: 0,
    failSwapOn: false,
    containerRuntimeEndpoint: 'unix:///run/containerd/containerd.sock',
    address: NODE_IP,
    port: 10250,
    healthzBindAddress: '127.0.0.1',
    healthzPort: 10248,
    readOnlyPort: 0,
    tlsCertFile: o.pki.file('kubelet-serving', 'crt'),
    tlsPrivateKeyFile: o.pki.file('kubelet-serving', 'key'),
    authentication: { anonymous: { enabled: false }, webhook: { enabled: false }, x509: { clientCAFile: o.pki.ca } },
    authorization: { mode: 'AlwaysAllow' },
    clusterDomain: CLUSTER_DOMAIN,
    clusterDNS: [DNS_SERVICE_IP],
    resolvConf: o.resolvConf,
    // The machine's disks are shared: never evict for disk space, never collect our images.
    evictionHard: { 'memory.available': '100Mi' },
    imageGCHighThresholdPercent: 100,
    imageGCLowThresholdPercent: 99,
    serializeImagePulls: false,
    maxPods: 60,
    ...(o.staticPods ? { staticPodPath: o.staticPods } : {}),
  });
}

export function kubeProxyConfig(kubeconfigFile: string): string {
  return stringify({
    apiVersion: 'kubeproxy.config.k8s.io/v1alpha1',
    kind: 'KubeProxyConfiguration',
    mode: 'iptables',
    clientConnection: { kubeconfig: kubeconfigFile },
    hostnameOverride: NODE_NAME,
    clusterCIDR: CLUSTER_CIDR,
    bindAddress: NODE_IP,
    healthzBindAddress: '127.0.0.1:10256',
    metricsBindAddress: '127.0.0.1:10249',
    // nf_conntrack_max is kernel-wide: leave it alone.
    conntrack: { maxPerCore: 0, min: 0 },
    // NodePorts on the node's own address, not every interface.
    nodePortAddresses: [`${NODE_IP}/32`],
  });
}

/** The pod network: a bridge in the node's namespace, host-local addresses, hostPorts through portmap. */
export function cniConflist(): string {
  return `${JSON.stringify(
    {
      cniVersion: '1.0.0',
      name: 'otel-shop-node',
      plugins: [
        {
          type: 'bridge',
          bridge: BRIDGE,
          isGateway: true,
          ipMasq: true,
          hairpinMode: true,
          ipam: { type: 'host-local', ranges: [[{ subnet: POD_CIDR, gateway: NODE_IP }]], routes: [{ dst: '0.0.0.0/0' }] },
        },
        { type: 'portmap', capabilities: { portMappings: true } },
        { type: 'loopback' },
      ],
    },
    null,
    2,
  )}\n`;
}

/** The node's registry (CNCF distribution), on its loopback: skaffold pushes there (--default-repo), containerd pulls. */
export const REGISTRY = 'localhost:5000';

export function registryConfig(storage: string): string {
  return `# Written by tests/cluster/node/config.ts for one run of make test-cluster.
version: 0.1
log:
  level: warn
storage:
  filesystem:
    rootdirectory: ${storage}
  delete:
    enabled: true
http:
  addr: 127.0.0.1:5000
`;
}

/** containerd's hosts.toml for the registry: plain HTTP on the node's loopback. */
export function registryHosts(): string {
  return `server = "http://${REGISTRY}"

[host."http://${REGISTRY}"]
  capabilities = ["pull", "resolve"]
`;
}

export function containerdConfig(o: { cgroupRoot: string; runc: string; shimDir: string; registryConfigPath: string }): string {
  return `# Written by tests/cluster/node/config.ts for one run of make test-cluster.
version = 3
root = "/var/lib/containerd"
state = "/run/containerd"

[grpc]
  address = "/run/containerd/containerd.sock"

# containerd's own cgroup, beside the pods', under this run's cgroup.
[cgroup]
  path = "${o.cgroupRoot}/containerd"

[plugins."io.containerd.cri.v1.runtime"]
  enable_selinux = false
  # The shims may not lower oom_score_adj here: keep theirs.
  restrict_oom_score_adj = true
  # Pod network namespaces under containerd's (private) state directory.
  netns_mounts_under_state_dir = true
  [plugins."io.containerd.cri.v1.runtime".containerd]
    default_runtime_name = "runc"
    [plugins."io.containerd.cri.v1.runtime".containerd.runtimes.runc]
      runtime_type = "io.containerd.runc.v2"
      runtime_path = "${o.shimDir}/containerd-shim-runc-v2"
      [plugins."io.containerd.cri.v1.runtime".containerd.runtimes.runc.options]
        BinaryName = "${o.runc}"
        SystemdCgroup = false
  [plugins."io.containerd.cri.v1.runtime".cni]
    bin_dirs = ["/usr/lib/cni"]
    conf_dir = "/etc/cni/net.d"

[plugins."io.containerd.cri.v1.images"]
  snapshotter = "overlayfs"
  [plugins."io.containerd.cri.v1.images".registry]
    config_path = "${o.registryConfigPath}"
  [plugins."io.containerd.cri.v1.images".pinned_images]
    sandbox = "${SANDBOX_IMAGE}"

[plugins."io.containerd.nri.v1.nri"]
  disable = true
`;
}

/**
 * The "host" resolv.conf kubelet builds the pods' from: nothing upstream (the
 * node has no way out), so pods resolve cluster names through CoreDNS only.
 */
export const HOST_RESOLV_CONF = '# otel-shop node: no upstream resolver\n';
