// Default deny, then exactly the flows of model/flows.ts. In shop and
// observability both directions are denied by default (DNS is the one
// allow every pod gets); parts sharing a namespace share its policies. In
// kafka's own namespace, ingress is denied by default and
// Strimzi's own generated policies open the broker ports to the peers
// declared on the listener; egress stays open there because the Strimzi
// operator talks to the API server, whose address varies per cluster.
// Kafka run by the chart itself (kafka.operator=none) gets the policy
// Strimzi would generate.
// A rule exists while its peer does (see flows.ts): a disabled service or
// an external dependency leaves no allow behind.
import { Construct } from 'constructs';
import { k8s } from 'cdk8s-plus-34';
import { DNS_PORT, denyAllNamespaces, endpoints, flowCond, flows, type Endpoint, type EndpointName, type Flow } from '../model/flows.ts';
import { Knob, all, not, type Gated } from '../model/knobs.ts';
import type { Settings } from '../model/settings.ts';
import { KAFKA, PART_OF } from '../model/topology.ts';

const labels = { 'app.kubernetes.io/part-of': PART_OF };
/** The endpoints of Kafka's part of the stack, whose policies follow Kafka's namespace rules, not the shop's. */
const KAFKA_ENDPOINTS: readonly EndpointName[] = ['kafka', 'kafka-topics'];

export function peer(e: Endpoint): k8s.NetworkPolicyPeer {
  if (e.kind === 'cidr') return { ipBlock: { cidr: e.cidr } };
  return {
    namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': e.namespace } },
    podSelector: { matchLabels: e.podLabels },
  };
}

function port(p: number | Knob<number>, protocol: 'TCP' | 'UDP' = 'TCP'): k8s.NetworkPolicyPort {
  return { protocol, port: k8s.IntOrString.fromNumber(p instanceof Knob ? p.field : p) };
}

interface Rule {
  peer: EndpointName;
  ports: k8s.NetworkPolicyPort[];
}

/** One rule per peer, with all of its ports (fixed ones sorted, then those from the values), existing while the peer does. */
function rules(eps: Record<EndpointName, Endpoint>, list: Flow[], side: 'from' | 'to'): Gated<Rule>[] {
  const byPeer = new Map<EndpointName, (number | Knob<number>)[]>();
  for (const f of list) {
    const p = f[side];
    const ports = byPeer.get(p) ?? [];
    if (!ports.some((x) => x === f.port)) ports.push(f.port);
    byPeer.set(p, ports);
  }
  return [...byPeer.entries()].map(([p, ports]) => {
    const fixed = ports.filter((x): x is number => typeof x === 'number').sort((a, b) => a - b);
    const knobs = ports.filter((x): x is Knob<number> => x instanceof Knob);
    return { value: { peer: p, ports: [...fixed, ...knobs].map((x) => port(x)) }, when: eps[p].when };
  });
}

/** The NetworkPolicy of one of our workloads: who may reach it, and what it may reach. */
function workloadPolicy(
  scope: Construct,
  s: Settings,
  name: EndpointName,
  list: Flow[],
  opts: { id?: string; policyName?: string; types?: ('Ingress' | 'Egress')[] } = {},
): void {
  const eps = endpoints(s);
  const self = eps[name];
  if (self.kind !== 'pods') throw new Error(`${name} is not a workload`);
  const types = opts.types ?? ['Ingress', 'Egress'];
  const existing = list.filter((f) => s.has(flowCond(eps, f)));
  const toRule = (r: Rule, side: 'from' | 'to') => ({ [side]: [peer(eps[r.peer])], ports: r.ports });
  const ingress = s.gate.list(
    rules(
      eps,
      existing.filter((f) => f.to === name),
      'from',
    ).map((g) => ({ ...g, value: toRule(g.value, 'from') as k8s.NetworkPolicyIngressRule })),
  );
  const egress = s.gate.list(
    rules(
      eps,
      existing.filter((f) => f.from === name),
      'to',
    ).map((g) => ({ ...g, value: toRule(g.value, 'to') as k8s.NetworkPolicyEgressRule })),
  );
  s.gate.when(self.when, () => {
    const np = new k8s.KubeNetworkPolicy(scope, opts.id ?? name, {
      metadata: { name: opts.policyName ?? name, namespace: self.namespace, labels },
      spec: {
        podSelector: { matchLabels: self.podLabels },
        policyTypes: types,
        ...(ingress.values.length ? { ingress: ingress.values } : {}),
        ...(egress.values.length && types.includes('Egress') ? { egress: egress.values } : {}),
      },
    });
    ingress.mark(np, '/spec/ingress');
    if (types.includes('Egress')) egress.mark(np, '/spec/egress');
    return np;
  });
}

/** The policies of the cluster-internal flows. */
export class NetworkPolicies extends Construct {
  constructor(scope: Construct, id: string, props: { settings: Settings }) {
    super(scope, id);
    const s = props.settings;
    for (const { key, namespace, when } of denyAllNamespaces(s)) {
      s.gate.when(when, () => {
        const c = new Construct(this, key);
        new k8s.KubeNetworkPolicy(c, `${key}-default-deny`, {
          metadata: { name: 'default-deny', namespace, labels },
          spec: { podSelector: {}, policyTypes: ['Ingress', 'Egress'] },
        });
        new k8s.KubeNetworkPolicy(c, `${key}-dns`, {
          metadata: { name: 'allow-dns', namespace, labels },
          spec: {
            podSelector: {},
            policyTypes: ['Egress'],
            egress: [{ to: [peer(endpoints(s)['kube-dns'])], ports: [port(DNS_PORT, 'UDP'), port(DNS_PORT, 'TCP')] }],
          },
        });
        return c;
      });
    }
    // Kafka in a namespace of its own denies ingress only; sharing the shop's
    // (or the telemetry stack's) it is under that namespace's default deny,
    // so its egress is opened again below.
    const kafkaOwnNamespace = s.namespaceIsOwn('kafka');
    s.gate.when(
      all(s.on.kafka, kafkaOwnNamespace),
      () =>
        new k8s.KubeNetworkPolicy(this, 'kafka-default-deny-ingress', {
          metadata: { name: 'default-deny-ingress', namespace: s.namespace('kafka'), labels },
          spec: { podSelector: {}, policyTypes: ['Ingress'] },
        }),
    );

    const eps = endpoints(s);
    const internal = flows(s).filter((f) => !f.nodePort);
    // Kafka's ingress is Strimzi's (listener networkPolicyPeers); kube-dns is not ours.
    const ours = denyAllNamespaces(s).map((n) => n.namespace);
    const workloads = (Object.keys(eps) as EndpointName[]).filter((n) => {
      const e = eps[n];
      return e.kind === 'pods' && ours.includes(e.namespace) && !KAFKA_ENDPOINTS.includes(n);
    });
    for (const name of workloads) workloadPolicy(this, s, name, internal);
    // Kafka run by the chart: the listener from its clients only, as Strimzi
    // makes of the listener's peers (namespaces.kafka denies ingress above).
    s.gate.when(s.on.kafkaByChart, () => {
      const c = new Construct(this, 'kafka-broker');
      workloadPolicy(c, s, 'kafka', internal, { policyName: 'kafka-broker', types: ['Ingress'] });
      return c;
    });
    // Egress as in Kafka's own namespace: open for the broker pods (Strimzi's
    // talk to the API server, whose address varies per cluster); the chart's
    // topics Job gets exactly its flow.
    s.gate.when(
      all(s.on.kafka, not(kafkaOwnNamespace)),
      () =>
        new k8s.KubeNetworkPolicy(this, 'kafka-egress', {
          metadata: { name: 'kafka-egress', namespace: s.namespace('kafka'), labels },
          spec: { podSelector: { matchLabels: { 'strimzi.io/cluster': KAFKA.cluster } }, policyTypes: ['Egress'], egress: [{}] },
        }),
    );
    s.gate.when(all(s.on.kafkaByChart, not(kafkaOwnNamespace)), () => {
      const c = new Construct(this, 'kafka-topics');
      workloadPolicy(c, s, 'kafka-topics', internal, { types: ['Egress'] });
      return c;
    });
  }
}

/** The ingress the kind NodePorts need; applied with them (Helm: kindNodePorts.enabled). */
export class NodePortPolicies extends Construct {
  constructor(scope: Construct, id: string, props: { settings: Settings }) {
    super(scope, id);
    const s = props.settings;
    const external = flows(s).filter((f) => f.nodePort);
    for (const target of new Set(external.map((f) => f.to))) {
      workloadPolicy(
        this,
        s,
        target,
        external.filter((f) => f.to === target),
        { id: target, policyName: `${target}-from-nodeport`, types: ['Ingress'] },
      );
    }
  }
}
