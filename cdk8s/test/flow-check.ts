// Shared by the policy and chart tests (not a test itself): the network
// flows a set of objects actually makes, derived from the workloads'
// configuration (env values and envFrom ConfigMaps, the collector,
// Prometheus, Alertmanager and Grafana configuration, the NodePorts), and whether the
// NetworkPolicies (and Strimzi's listener peers) allow exactly those.
// An address outside the cluster (a host name that is not *.svc.cluster.local)
// is an external flow: allowed by port to any address, the way the chart
// does it.
import { parse } from 'yaml';
import { KAFKA, KAFKA_POD_LABELS } from '../src/model/topology.ts';
import { id, matches, podTemplates, type Obj, type PodTemplate } from './test-support.ts';

export interface Target {
  kind: 'pods' | 'external';
  namespace?: string;
  labels?: Record<string, string>;
  what: string;
}
export interface Connection {
  from: Target;
  to: Target;
  port: number;
  protocol: string;
  why: string;
}
export interface Namespaces {
  shop: string;
  kafka: string;
  observability: string;
}

const allContainers = (spec: Obj): Obj[] => [...(spec.initContainers ?? []), ...(spec.containers ?? [])];
const pods = (t: PodTemplate): Target => ({ kind: 'pods', namespace: t.namespace, labels: t.labels, what: t.owner });
const DNS: Target = { kind: 'pods', namespace: 'kube-system', labels: { 'k8s-app': 'kube-dns' }, what: 'kube-dns' };
const API: Target = { kind: 'external', what: 'API server' };
const OUTSIDE: Target = { kind: 'external', what: 'outside (NodePort)' };

/** host:port in a text: cluster Service names, or an external host name. */
const HOST_PORT = /(?<![A-Za-z0-9.$(-])([a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)+):(\d+)/g;

export class FlowCheck {
  readonly list: Obj[];
  readonly ns: Namespaces;
  readonly templates: PodTemplate[];
  readonly policies: Obj[];
  readonly kafkaPods: Target;
  readonly denyAll: string[];
  readonly flows: Connection[];

  /** Kafka through Strimzi (a Kafka resource); else the chart runs the broker itself, or Kafka is external. */
  readonly strimzi: boolean;

  constructor(list: Obj[], ns: Namespaces) {
    this.list = list;
    this.strimzi = list.some((o) => o.kind === 'Kafka' && o.metadata.namespace === ns.kafka);
    this.ns = ns;
    this.templates = podTemplates(list);
    this.policies = list.filter((o) => o.kind === 'NetworkPolicy');
    this.kafkaPods = {
      kind: 'pods',
      namespace: ns.kafka,
      labels: { ...KAFKA_POD_LABELS, 'strimzi.io/name': `${KAFKA.cluster}-kafka` },
      what: 'Strimzi Kafka pods',
    };
    // Ours, while pods of ours run there (the release's namespace is not created by the chart; Kafka may share it).
    this.denyAll = [...new Set([ns.shop, ns.observability])].filter((n) => this.templates.some((t) => t.namespace === n));
    this.flows = this.connections();
  }

  /** host:port of a cluster DNS name to the pods behind it and the container port; an external host to "external". */
  private resolve(host: string, port: number): { to: Target; port: number }[] {
    const m = /^([a-z0-9-]+)\.([a-z0-9-]+)\.svc\.cluster\.local$/.exec(host);
    if (!m) return [{ to: { kind: 'external', what: `${host} (outside the cluster)` }, port }];
    const [, name, namespace] = m;
    // Strimzi makes this Service from the Kafka resource; the chart's own broker (kafka.operator=none) has it in the list.
    if (namespace === this.ns.kafka && name === `${KAFKA.cluster}-kafka-bootstrap` && this.strimzi) return [{ to: this.kafkaPods, port }];
    const svc = this.list.find((o) => o.kind === 'Service' && o.metadata.name === name && o.metadata.namespace === namespace);
    if (!svc) throw new Error(`no Service ${namespace}/${name} (${host}:${port} is configured)`);
    const sp = svc.spec.ports.find((p: Obj) => p.port === port);
    if (!sp) throw new Error(`Service ${namespace}/${name} has no port ${port}`);
    return this.templates
      .filter((t) => t.namespace === namespace && matches(svc.spec.selector, t.labels))
      .map((t) => {
        const cp = t.spec.containers
          .flatMap((c: Obj) => c.ports ?? [])
          .find((p: Obj) => p.name === sp.targetPort || p.containerPort === (sp.targetPort ?? sp.port));
        return { to: pods(t), port: cp.containerPort as number };
      });
  }

  private connections(): Connection[] {
    const out: Connection[] = [];
    const add = (from: Target, host: string, port: number, why: string) => {
      for (const r of this.resolve(host, port)) out.push({ from, to: r.to, port: r.port, protocol: 'TCP', why });
    };
    const configMap = (ns: string, name: string) => this.list.find((o) => o.kind === 'ConfigMap' && o.metadata.namespace === ns && o.metadata.name === name);
    for (const t of this.templates) {
      const from = pods(t);
      if (this.denyAll.includes(t.namespace)) {
        for (const proto of ['UDP', 'TCP']) out.push({ from, to: DNS, port: 53, protocol: proto, why: 'DNS' });
      }
      // Addresses in the environment (env values and envFrom ConfigMaps).
      for (const c of allContainers(t.spec)) {
        const texts: string[] = (c.env ?? []).map((e: Obj) => e.value ?? '');
        for (const ef of c.envFrom ?? []) texts.push(...Object.values((configMap(t.namespace, ef.configMapRef.name)?.data ?? {}) as Record<string, string>));
        for (const text of texts) for (const m of text.matchAll(HOST_PORT)) add(from, m[1]!, Number(m[5]), `${c.name} env`);
        // The flagd provider's host and port, two variables.
        const named = Object.fromEntries((c.env ?? []).map((e: Obj) => [e.name, e.value]));
        if (named.FLAGD_HOST && named.FLAGD_PORT) add(from, named.FLAGD_HOST, Number(named.FLAGD_PORT), `${c.name} env (flagd)`);
        // A container given an API token of its own (a projected volume) talks to the API server.
        const tokenVolumes = (t.spec.volumes ?? []).filter((v: Obj) => (v.projected?.sources ?? []).some((src: Obj) => src.serviceAccountToken));
        if ((c.volumeMounts ?? []).some((m: Obj) => tokenVolumes.some((v: Obj) => v.name === m.name))) {
          for (const port of [443, 6443]) out.push({ from, to: API, port, protocol: 'TCP', why: `${c.name} API token` });
        }
        // OTLP to the node's collector: the DaemonSet's hostPort.
        for (const e of c.env ?? []) {
          const m = /^http:\/\/\$\(NODE_IP\):(\d+)$/.exec(e.value ?? '');
          if (!m) continue;
          const ds = this.templates.find((x) => x.spec.containers.some((cc: Obj) => (cc.ports ?? []).some((p: Obj) => p.hostPort === Number(m[1]))));
          if (!ds) throw new Error(`nothing listens on hostPort ${m[1]}`);
          const cp = ds.spec.containers.flatMap((cc: Obj) => cc.ports ?? []).find((p: Obj) => p.hostPort === Number(m[1]));
          out.push({ from, to: pods(ds), port: cp.containerPort, protocol: 'TCP', why: 'OTLP via hostPort' });
        }
      }
    }
    const tOf = (name: string) => this.templates.find((t) => t.owner.endsWith(`/${name}`));
    const obs = this.ns.observability;
    // The collector: exporters, receivers that pull, and the API server for k8s_attributes.
    const collectorConfig = configMap(obs, 'otel-collector-config');
    const collector = tOf('otel-collector');
    if (collectorConfig && collector) {
      const config = parse(collectorConfig.data['config.yaml']);
      for (const m of JSON.stringify(config).matchAll(HOST_PORT)) add(pods(collector), m[1]!, Number(m[5]), 'collector config');
      if (config.processors.k8s_attributes) {
        for (const port of [443, 6443]) out.push({ from: pods(collector), to: API, port, protocol: 'TCP', why: 'k8s_attributes' });
      }
    }
    // Prometheus scrape targets.
    const promConfig = configMap(obs, 'prometheus-config');
    const prometheus = tOf('prometheus');
    if (promConfig && prometheus) {
      const prom = parse(promConfig.data['prometheus.yml']);
      for (const job of prom.scrape_configs)
        for (const sd of job.dns_sd_configs ?? []) for (const n of sd.names) add(pods(prometheus), n, sd.port, `scrape ${job.job_name}`);
      // Where it sends alerts.
      for (const am of prom.alerting?.alertmanagers ?? [])
        for (const sc of am.static_configs ?? [])
          for (const t of sc.targets as string[]) add(pods(prometheus), t.split(':')[0]!, Number(t.split(':')[1]), 'alerting');
    }
    // Alertmanager's webhook receivers: a URL's port, or its scheme's.
    const amConfig = this.list.find((o) => o.kind === 'Secret' && o.metadata.namespace === obs && o.metadata.name === 'alertmanager-config');
    const alertmanager = tOf('alertmanager');
    if (amConfig && alertmanager) {
      const am = parse(amConfig.stringData['alertmanager.yml']);
      for (const r of am.receivers)
        for (const w of r.webhook_configs ?? []) {
          const url = new URL(w.url);
          add(pods(alertmanager), url.hostname, Number(url.port || (url.protocol === 'https:' ? 443 : 80)), `receiver ${r.name}`);
        }
    }
    // Grafana datasources.
    const provisioning = configMap(obs, 'grafana-provisioning');
    const grafana = tOf('grafana');
    if (provisioning && grafana) {
      const ds = parse(provisioning.data['datasources.yaml']);
      for (const d of ds.datasources) for (const m of (d.url as string).matchAll(HOST_PORT)) add(pods(grafana), m[1]!, Number(m[5]), `datasource ${d.name}`);
    }
    // NodePorts from outside the cluster.
    for (const svc of this.list.filter((o) => o.kind === 'Service' && o.spec.type === 'NodePort')) {
      for (const p of svc.spec.ports) {
        for (const t of this.templates.filter((x) => x.namespace === svc.metadata.namespace && matches(svc.spec.selector, x.labels))) {
          out.push({ from: OUTSIDE, to: pods(t), port: p.targetPort, protocol: 'TCP', why: `NodePort ${p.nodePort}` });
        }
      }
    }
    return out;
  }

  peerMatches(peer: Obj, target: Target): boolean {
    if (peer.ipBlock) return target.kind === 'external';
    if (target.kind !== 'pods') return false;
    const nsOk = peer.namespaceSelector ? matches(peer.namespaceSelector.matchLabels, { 'kubernetes.io/metadata.name': target.namespace! }) : true;
    const podOk = peer.podSelector ? matches(peer.podSelector.matchLabels, target.labels!) : true;
    return nsOk && podOk;
  }

  selects(np: Obj, t: Target): boolean {
    return t.kind === 'pods' && np.metadata.namespace === t.namespace && matches(np.spec.podSelector.matchLabels, t.labels!);
  }

  egressAllowed(c: Connection): boolean {
    const portMatches = (ports: Obj[] | undefined) => !ports || ports.some((p) => p.port === c.port && (p.protocol ?? 'TCP') === c.protocol);
    return this.policies.some(
      (np) =>
        this.selects(np, c.from) &&
        (np.spec.egress ?? []).some((r: Obj) => (!r.to || r.to.some((p: Obj) => this.peerMatches(p, c.to))) && portMatches(r.ports)),
    );
  }

  ingressAllowed(c: Connection): boolean {
    const portMatches = (ports: Obj[] | undefined) => !ports || ports.some((p) => p.port === c.port && (p.protocol ?? 'TCP') === c.protocol);
    if (c.to === this.kafkaPods) {
      // Strimzi writes the broker pods' ingress policy from the listener's peers.
      const listener = this.list.find((o) => o.kind === 'Kafka')!.spec.kafka.listeners.find((l: Obj) => l.port === c.port);
      return Boolean(listener) && (listener.networkPolicyPeers ?? []).some((p: Obj) => this.peerMatches(p, c.from));
    }
    return this.policies.some(
      (np) => this.selects(np, c.to) && (np.spec.ingress ?? []).some((r: Obj) => r.from.some((p: Obj) => this.peerMatches(p, c.from)) && portMatches(r.ports)),
    );
  }

  label(c: Connection): string {
    return `${c.from.what} -> ${c.to.what}:${c.port}/${c.protocol} (${c.why})`;
  }

  /** Flows a NetworkPolicy (or the Kafka listener) would block. */
  blocked(): string[] {
    const out: string[] = [];
    for (const c of this.flows) {
      if (c.from.kind === 'pods' && this.denyAll.includes(c.from.namespace!) && !this.egressAllowed(c)) out.push(`egress ${this.label(c)}`);
      if (c.to.kind === 'pods' && (this.denyAll.includes(c.to.namespace!) || c.to.namespace === this.ns.kafka) && !this.ingressAllowed(c))
        out.push(`ingress ${this.label(c)}`);
    }
    return out;
  }

  /** Allows (and Kafka listener peers) that no flow uses. */
  unused(): string[] {
    const out: string[] = [];
    for (const np of this.policies) {
      for (const [dir, rules] of [
        ['egress', np.spec.egress ?? []],
        ['ingress', np.spec.ingress ?? []],
      ] as const) {
        for (const r of rules as Obj[]) {
          // A rule open to everything is deliberate (Kafka's egress in a shared namespace), not an allow for a flow.
          if (!(dir === 'egress' ? r.to : r.from)) continue;
          for (const p of (dir === 'egress' ? r.to : r.from) as Obj[]) {
            for (const port of r.ports as Obj[]) {
              const used = this.flows.some(
                (c) =>
                  c.port === port.port &&
                  c.protocol === (port.protocol ?? 'TCP') &&
                  (dir === 'egress'
                    ? this.templates.some((t) => this.selects(np, pods(t)) && c.from.what === t.owner) && this.peerMatches(p, c.to)
                    : this.selects(np, c.to) && this.peerMatches(p, c.from)),
              );
              if (!used) out.push(`${id(np)} ${dir} ${JSON.stringify(p)} ${port.protocol ?? 'TCP'}/${port.port}`);
            }
          }
        }
      }
    }
    const kafka = this.list.find((o) => o.kind === 'Kafka');
    for (const p of kafka?.spec.kafka.listeners[0].networkPolicyPeers ?? []) {
      if (!this.flows.some((c) => c.to === this.kafkaPods && this.peerMatches(p, c.from))) out.push(`Kafka listener peer ${JSON.stringify(p)}`);
    }
    return out;
  }
}
