// Default deny, then exactly the flows of src/flows.ts. In shop and
// observability both directions are denied by default (DNS is the one
// allow every pod gets). In kafka, ingress is denied by default and
// Strimzi's own generated policies open the broker ports to the peers
// declared on the listener; egress stays open there because the Strimzi
// operator talks to the API server, whose address varies per cluster.
import { Construct } from 'constructs';
import { k8s } from 'cdk8s-plus-34';
import { DENY_ALL_NAMESPACES, DNS_PORT, ENDPOINTS, FLOWS, type Endpoint, type EndpointName, type Flow } from '../flows.ts';
import { NS, PART_OF } from '../topology.ts';

const labels = { 'app.kubernetes.io/part-of': PART_OF };

export function peer(e: Endpoint): k8s.NetworkPolicyPeer {
  if (e.kind === 'cidr') return { ipBlock: { cidr: e.cidr } };
  return {
    namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': e.namespace } },
    podSelector: { matchLabels: e.podLabels },
  };
}

function port(f: Pick<Flow, 'port' | 'protocol'>): k8s.NetworkPolicyPort {
  return { protocol: f.protocol ?? 'TCP', port: k8s.IntOrString.fromNumber(f.port) };
}

/** One rule per peer, with all of its ports, in a stable order. */
function rules(flows: Flow[], side: 'from' | 'to'): { peer: EndpointName; ports: k8s.NetworkPolicyPort[] }[] {
  const byPeer = new Map<EndpointName, Set<number>>();
  for (const f of flows) {
    const p = f[side];
    if (!byPeer.has(p)) byPeer.set(p, new Set());
    byPeer.get(p)!.add(f.port);
  }
  return [...byPeer.entries()].map(([p, ports]) => ({
    peer: p,
    ports: [...ports].sort((a, b) => a - b).map((n) => port({ port: n })),
  }));
}

/** The NetworkPolicy of one of our workloads: who may reach it, and what it may reach. */
function workloadPolicy(scope: Construct, name: EndpointName, flows: Flow[], id = name, policyName: string = name): void {
  const self = ENDPOINTS[name];
  if (self.kind !== 'pods') throw new Error(`${name} is not a workload`);
  const ingress = rules(flows.filter((f) => f.to === name), 'from');
  const egress = rules(flows.filter((f) => f.from === name), 'to');
  if (ingress.length === 0 && egress.length === 0) return;
  const policyTypes = [...(ingress.length ? ['Ingress'] : []), ...(egress.length ? ['Egress'] : [])];
  new k8s.KubeNetworkPolicy(scope, id, {
    metadata: { name: policyName, namespace: self.namespace, labels },
    spec: {
      podSelector: { matchLabels: self.podLabels },
      policyTypes,
      ...(ingress.length ? { ingress: ingress.map((r) => ({ from: [peer(ENDPOINTS[r.peer])], ports: r.ports })) } : {}),
      ...(egress.length ? { egress: egress.map((r) => ({ to: [peer(ENDPOINTS[r.peer])], ports: r.ports })) } : {}),
    },
  });
}

/** The policies of the cluster-internal flows. */
export class NetworkPolicies extends Construct {
  constructor(scope: Construct, id: string) {
    super(scope, id);
    for (const namespace of DENY_ALL_NAMESPACES) {
      new k8s.KubeNetworkPolicy(this, `${namespace}-default-deny`, {
        metadata: { name: 'default-deny', namespace, labels },
        spec: { podSelector: {}, policyTypes: ['Ingress', 'Egress'] },
      });
      new k8s.KubeNetworkPolicy(this, `${namespace}-dns`, {
        metadata: { name: 'allow-dns', namespace, labels },
        spec: {
          podSelector: {},
          policyTypes: ['Egress'],
          egress: [
            { to: [peer(ENDPOINTS['kube-dns'])], ports: [port({ port: DNS_PORT, protocol: 'UDP' }), port({ port: DNS_PORT, protocol: 'TCP' })] },
          ],
        },
      });
    }
    new k8s.KubeNetworkPolicy(this, 'kafka-default-deny-ingress', {
      metadata: { name: 'default-deny-ingress', namespace: NS.kafka, labels },
      spec: { podSelector: {}, policyTypes: ['Ingress'] },
    });

    const internal = FLOWS.filter((f) => !f.nodePort);
    const workloads = (Object.keys(ENDPOINTS) as EndpointName[]).filter((name) => {
      const e = ENDPOINTS[name];
      // Kafka's ingress is Strimzi's (listener networkPolicyPeers).
      return e.kind === 'pods' && (DENY_ALL_NAMESPACES as readonly string[]).includes(e.namespace);
    });
    for (const name of workloads) workloadPolicy(this, name, internal);
  }
}

/** The ingress the kind NodePorts need; applied with them (Helm: kindNodePorts.enabled). */
export class NodePortPolicies extends Construct {
  constructor(scope: Construct, id: string) {
    super(scope, id);
    const external = FLOWS.filter((f) => f.nodePort);
    for (const target of new Set(external.map((f) => f.to))) {
      workloadPolicy(this, target, external.filter((f) => f.to === target), target, `${target}-from-nodeport`);
    }
  }
}
