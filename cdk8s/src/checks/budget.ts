// What the whole stack asks the scheduler for: every pod of the manifests
// (replicas, or the autoscaler's minimum; DaemonSets once per node), the pods
// Strimzi creates from the Kafka resources, and the Strimzi operator itself.
// A pod requests the larger of its containers' sum and its biggest init
// container (that is how the scheduler counts).
import { SIZES, cpuMillis, memoryBytes } from '../model/sizing.ts';

// biome-ignore lint/suspicious/noExplicitAny: synthesized manifests of every kind, read field by field
type Obj = Record<string, any>;

export interface BudgetLine {
  namespace: string;
  kind: string;
  name: string;
  pods: number;
  cpuMillis: number;
  memoryBytes: number;
  /** What the pods may grow to: the memory a node (Docker's VM on a laptop) must really have. */
  memoryLimitBytes: number;
}

export const BUDGET_LIMITS = { cpuMillis: 3000, memoryBytes: 4 * 2 ** 30 } as const;

export function overBudget(t: { cpuMillis: number; memoryBytes: number }): boolean {
  return t.cpuMillis > BUDGET_LIMITS.cpuMillis || t.memoryBytes > BUDGET_LIMITS.memoryBytes;
}

interface PodResources {
  cpu: number;
  mem: number;
  memLimit: number;
}

function resourcesOf(containers: Obj[] | undefined): PodResources[] {
  return (containers ?? []).map((c) => ({
    cpu: c.resources?.requests?.cpu ? cpuMillis(String(c.resources.requests.cpu)) : 0,
    mem: c.resources?.requests?.memory ? memoryBytes(String(c.resources.requests.memory)) : 0,
    memLimit: c.resources?.limits?.memory ? memoryBytes(String(c.resources.limits.memory)) : 0,
  }));
}

export function podRequests(podSpec: Obj): PodResources {
  const sum = (list: PodResources[]): PodResources =>
    list.reduce((a, b) => ({ cpu: a.cpu + b.cpu, mem: a.mem + b.mem, memLimit: a.memLimit + b.memLimit }), { cpu: 0, mem: 0, memLimit: 0 });
  // Native sidecars (init containers that restart Always) run beside
  // everything started after them: each init container counts with the
  // sidecars before it, the app containers with all of them.
  const inits: Obj[] = podSpec.initContainers ?? [];
  const sidecars: PodResources[] = [];
  const peaks: PodResources[] = [];
  for (const [i, own] of resourcesOf(inits).entries()) {
    if (inits[i]!.restartPolicy === 'Always') sidecars.push(own);
    else peaks.push(sum([own, ...sidecars]));
  }
  const app = sum([...resourcesOf(podSpec.containers), ...sidecars]);
  return {
    cpu: Math.max(app.cpu, ...peaks.map((i) => i.cpu)),
    mem: Math.max(app.mem, ...peaks.map((i) => i.mem)),
    memLimit: Math.max(app.memLimit, ...peaks.map((i) => i.memLimit)),
  };
}

/** The budget of a set of manifests on a cluster of `nodes` nodes. */
export function budget(objects: Obj[], nodes = 1): BudgetLine[] {
  const lines: BudgetLine[] = [];
  const hpaMin = new Map<string, number>();
  for (const o of objects) {
    if (o.kind === 'HorizontalPodAutoscaler') hpaMin.set(`${o.metadata.namespace}/${o.spec.scaleTargetRef.name}`, o.spec.minReplicas ?? 1);
  }
  const add = (o: Obj, pods: number, req: PodResources, kind = o.kind, name = o.metadata.name) =>
    lines.push({
      namespace: o.metadata.namespace,
      kind,
      name,
      pods,
      cpuMillis: pods * req.cpu,
      memoryBytes: pods * req.mem,
      memoryLimitBytes: pods * req.memLimit,
    });

  for (const o of objects) {
    switch (o.kind) {
      case 'Deployment':
      case 'StatefulSet': {
        const replicas = o.spec.replicas ?? hpaMin.get(`${o.metadata.namespace}/${o.metadata.name}`) ?? 1;
        add(o, replicas, podRequests(o.spec.template.spec));
        break;
      }
      case 'DaemonSet':
        add(o, nodes, podRequests(o.spec.template.spec));
        break;
      case 'KafkaNodePool': {
        add(o, o.spec.replicas, podRequests({ containers: [{ resources: o.spec.resources }] }));
        break;
      }
      case 'Kafka': {
        // The entity operator pod: one container per operator configured.
        const eo = o.spec.entityOperator ?? {};
        const containers = ['topicOperator', 'userOperator'].filter((k) => eo[k]).map((k) => ({ resources: eo[k].resources }));
        if (containers.length) add(o, 1, podRequests({ containers }), 'Kafka (entity operator)', `${o.metadata.name}-entity-operator`);
        break;
      }
      default:
        break;
    }
  }
  // Installed by its own Helm chart, sized from charts/strimzi-operator.values.yaml (SIZES).
  lines.push({
    namespace: 'kafka',
    kind: 'Deployment (Strimzi chart)',
    name: 'strimzi-cluster-operator',
    pods: 1,
    cpuMillis: cpuMillis(SIZES.strimziOperator.requests.cpu),
    memoryBytes: memoryBytes(SIZES.strimziOperator.requests.memory),
    memoryLimitBytes: memoryBytes(SIZES.strimziOperator.limits.memory),
  });
  return lines;
}

export function totals(lines: BudgetLine[]): { cpuMillis: number; memoryBytes: number; memoryLimitBytes: number; pods: number } {
  return lines.reduce(
    (t, l) => ({
      cpuMillis: t.cpuMillis + l.cpuMillis,
      memoryBytes: t.memoryBytes + l.memoryBytes,
      memoryLimitBytes: t.memoryLimitBytes + l.memoryLimitBytes,
      pods: t.pods + l.pods,
    }),
    { cpuMillis: 0, memoryBytes: 0, memoryLimitBytes: 0, pods: 0 },
  );
}

/**
 * The allowance for what kind's node runs besides the stack: its control plane
 * requests about 0.95 CPU and 0.3 GiB (kube-system), and etcd, the API server
 * and containerd use more memory than they request.
 */
export const KIND_OVERHEAD = { cpuMillis: 950, memoryBytes: 1 * 2 ** 30 } as const;

const mi = (b: number) => `${Math.round(b / 2 ** 20)}Mi`;

export function formatBudget(lines: BudgetLine[]): string {
  const rows = [...lines].sort((a, b) => a.namespace.localeCompare(b.namespace) || b.memoryBytes - a.memoryBytes);
  const w = Math.max(...rows.map((l) => `${l.namespace}/${l.name}`.length), 10);
  const out = [`${'WORKLOAD'.padEnd(w)}  ${'KIND'.padEnd(26)} PODS  ${'CPU'.padStart(6)}  ${'MEMORY'.padStart(7)}`];
  for (const l of rows) {
    out.push(
      `${`${l.namespace}/${l.name}`.padEnd(w)}  ${l.kind.padEnd(26)} ${String(l.pods).padStart(4)}  ${`${l.cpuMillis}m`.padStart(6)}  ${mi(l.memoryBytes).padStart(7)}`,
    );
  }
  const t = totals(lines);
  out.push(
    `${'TOTAL requested'.padEnd(w)}  ${''.padEnd(26)} ${String(t.pods).padStart(4)}  ${`${t.cpuMillis}m`.padStart(6)}  ${mi(t.memoryBytes).padStart(7)}`,
  );
  out.push(
    `budget: at most ${BUDGET_LIMITS.cpuMillis / 1000} CPU and ${BUDGET_LIMITS.memoryBytes / 2 ** 30} GiB requested: ` +
      `${(t.cpuMillis / 1000).toFixed(2)} CPU (${Math.round((100 * t.cpuMillis) / BUDGET_LIMITS.cpuMillis)}%), ` +
      `${(t.memoryBytes / 2 ** 30).toFixed(2)} GiB (${Math.round((100 * t.memoryBytes) / BUDGET_LIMITS.memoryBytes)}%)`,
  );
  out.push(
    `memory limits in total: ${(t.memoryLimitBytes / 2 ** 30).toFixed(2)} GiB (what the pods may grow to; make doctor wants that plus kind's ${KIND_OVERHEAD.memoryBytes / 2 ** 30} GiB from Docker)`,
  );
  out.push('(kind itself adds its control plane on top: about 0.95 CPU and 0.3 GiB requested in kube-system.)');
  return `${out.join('\n')}\n`;
}
