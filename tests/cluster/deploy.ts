// Runs inside the node's network namespace (main.ts starts it there): the
// cluster's own DNS, the Strimzi CRDs and the kafka namespace (what the
// Strimzi operator's chart brings), the otel-shop chart installed with Helm
// as a user would, the test-only overlay on top, volumes for the claims, and
// a wait for every workload. Then the cluster tests, against the live
// cluster. Exits with their result.
import { execFileSync, spawn } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import {
  AppsV1Api,
  BatchV1Api,
  CoreV1Api,
  CustomObjectsApi,
  KubeConfig,
  KubernetesObjectApi,
  PatchStrategy,
  type KubernetesObject,
} from '@kubernetes/client-node';
import { parseAllDocuments } from 'yaml';
import { strimziCrdFiles, cachedTool } from '@shop/cdk8s/paths';
import { bootstrapObjects } from './bootstrap.ts';
import { overlay, strimziNames } from './overlay.ts';

type Obj = Record<string, any>;
const root = path.resolve(import.meta.dirname, '..', '..');
const nodeDir = process.env.SHOP_NODE_DIR!;
const runStarted = Number(process.env.SHOP_RUN_STARTED ?? Date.now());
const say = (line: string) => process.stdout.write(`[${((Date.now() - runStarted) / 1000).toFixed(0).padStart(4)} s] ${line}\n`);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

const kc = new KubeConfig();
kc.loadFromFile(process.env.KUBECONFIG!);
const core = kc.makeApiClient(CoreV1Api);
const apps = kc.makeApiClient(AppsV1Api);
const batch = kc.makeApiClient(BatchV1Api);
const custom = kc.makeApiClient(CustomObjectsApi);
const objects = KubernetesObjectApi.makeApiClient(kc);

const apply = (o: Obj) => objects.patch(o as KubernetesObject, undefined, undefined, 'otel-shop-test-cluster', true, PatchStrategy.ServerSideApply);
const docs = (text: string) =>
  parseAllDocuments(text)
    .map((d) => d.toJSON() as Obj)
    .filter(Boolean);

async function until(what: string, seconds: number, ok: () => Promise<boolean>, onTick?: () => Promise<void>): Promise<void> {
  const deadline = Date.now() + seconds * 1000;
  for (;;) {
    await onTick?.();
    if (await ok().catch(() => false)) return;
    if (Date.now() > deadline) throw new Error(`timed out after ${seconds} s waiting for ${what}`);
    await sleep(2000);
  }
}

/** Volumes for claims, as kind's local-path provisioner would give them: a directory on the node, 0777. */
async function provisionVolumes(): Promise<void> {
  const claims = await core.listPersistentVolumeClaimForAllNamespaces();
  for (const pvc of claims.items.filter((c) => c.status?.phase === 'Pending' && !c.spec?.volumeName)) {
    const name = `pv-${pvc.metadata!.namespace}-${pvc.metadata!.name}`;
    const dir = path.join(nodeDir, 'volumes', name);
    mkdirSync(dir, { recursive: true, mode: 0o777 });
    execFileSync('chmod', ['0777', dir]);
    try {
      await core.createPersistentVolume({
        body: {
          metadata: { name, labels: { 'otel-shop.dev/stand-in': 'local-path' } },
          spec: {
            capacity: { storage: pvc.spec!.resources!.requests!.storage! },
            accessModes: pvc.spec!.accessModes,
            persistentVolumeReclaimPolicy: 'Retain',
            storageClassName: pvc.spec!.storageClassName ?? '',
            claimRef: { namespace: pvc.metadata!.namespace, name: pvc.metadata!.name },
            hostPath: { path: dir, type: 'Directory' },
          },
        },
      });
      say(`volume ${name} for ${pvc.metadata!.namespace}/${pvc.metadata!.name}`);
    } catch {
      // made on an earlier tick
    }
  }
}

const STRIMZI = { group: 'kafka.strimzi.io', version: 'v1' };

/**
 * What the Strimzi operator reports once the cluster runs: the run writes it
 * from the real broker's state, and again for each new generation of a
 * resource (an upgrade that changes its spec), as the operator reconciles.
 */
async function reportKafkaStatus(rendered: Obj[]): Promise<boolean> {
  const kafka = rendered.find((o) => o.kind === 'Kafka')!;
  const ns = kafka.metadata.namespace;
  const names = strimziNames(kafka.metadata.name);
  const job = await batch.readNamespacedJob({ name: `${names.entityOperator}-topics`, namespace: ns });
  if (!job.status?.succeeded) return false;
  const now = new Date().toISOString();
  const ready = [{ type: 'Ready', status: 'True', lastTransitionTime: now }];
  const status = async (plural: string, o: Obj, extra: Obj) => {
    const live = (await custom.getNamespacedCustomObject({ ...STRIMZI, namespace: ns, plural, name: o.metadata.name })) as Obj;
    if (live.status?.observedGeneration === live.metadata.generation) return;
    if (live.metadata.generation > 1) {
      const writers = (live.metadata.managedFields ?? []).map((m: Obj) => `${m.manager} ${m.operation} ${m.time}`).join('; ');
      say(`${plural}/${o.metadata.name}: generation ${live.metadata.generation}, reconciled (field managers: ${writers})`);
    }
    live.status = { observedGeneration: live.metadata.generation, ...extra };
    await custom.replaceNamespacedCustomObjectStatus({ ...STRIMZI, namespace: ns, plural, name: o.metadata.name, body: live });
  };
  await status('kafkas', kafka, {
    conditions: ready,
    kafkaVersion: kafka.spec.kafka.version,
    listeners: [{ name: 'plain', bootstrapServers: `${names.bootstrap}.${ns}.svc:9092` }],
  });
  for (const pool of rendered.filter((o) => o.kind === 'KafkaNodePool')) {
    await status('kafkanodepools', pool, { replicas: pool.spec.replicas, nodeIds: [...Array(pool.spec.replicas).keys()], roles: pool.spec.roles });
  }
  for (const topic of rendered.filter((o) => o.kind === 'KafkaTopic'))
    await status('kafkatopics', topic, { conditions: ready, topicName: topic.spec.topicName });
  return true;
}

interface WorkloadState {
  id: string;
  ready: boolean;
}

async function workloads(): Promise<WorkloadState[]> {
  const out: WorkloadState[] = [];
  for (const d of (await apps.listDeploymentForAllNamespaces()).items) {
    out.push({
      id: `deployment/${d.metadata!.namespace}/${d.metadata!.name}`,
      ready: (d.status?.readyReplicas ?? 0) >= (d.spec?.replicas ?? 1) && (d.status?.updatedReplicas ?? 0) >= (d.spec?.replicas ?? 1),
    });
  }
  for (const s of (await apps.listStatefulSetForAllNamespaces()).items) {
    out.push({ id: `statefulset/${s.metadata!.namespace}/${s.metadata!.name}`, ready: (s.status?.readyReplicas ?? 0) >= (s.spec?.replicas ?? 1) });
  }
  for (const d of (await apps.listDaemonSetForAllNamespaces()).items) {
    out.push({
      id: `daemonset/${d.metadata!.namespace}/${d.metadata!.name}`,
      ready: (d.status?.desiredNumberScheduled ?? 0) > 0 && d.status?.numberReady === d.status?.desiredNumberScheduled,
    });
  }
  return out;
}

function helm(args: string[]): string {
  return execFileSync(cachedTool('helm.sh'), args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], env: process.env });
}

async function deploy(): Promise<Obj[]> {
  for (const o of bootstrapObjects()) await apply(o);
  await until(
    'CoreDNS',
    180,
    async () => ((await apps.readNamespacedDeployment({ name: 'coredns', namespace: 'kube-system' })).status?.readyReplicas ?? 0) > 0,
  );
  say('CoreDNS ready');

  await apply({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'kafka' } });
  for (const f of strimziCrdFiles()) for (const crd of docs(readFileSync(f, 'utf8'))) await apply(crd);
  await until('the Strimzi CRDs', 60, async () => {
    const res = await custom.listClusterCustomObject({ ...STRIMZI, plural: 'kafkas' });
    return Array.isArray((res as Obj).items);
  });
  say('Strimzi CRDs established, namespace kafka');

  const chart = path.join(root, 'charts', 'otel-shop');
  helm(['install', 'otel-shop', chart, '--namespace', 'default']);
  const rendered = docs(helm(['get', 'manifest', 'otel-shop', '--namespace', 'default']));
  say(`helm install otel-shop charts/otel-shop: ${rendered.length} objects`);

  const order = rendered.find((o) => o.kind === 'Deployment' && o.metadata.name === 'order')!;
  const o = overlay(rendered, order.spec.template.spec.containers[0].image);
  for (const x of o.apply) await apply(x);
  for (const r of o.remove) await apps.deleteNamespacedDeployment({ name: r.name, namespace: r.namespace });
  say(`overlay: ${o.apply.map((x) => `${x.kind}/${x.metadata.name}`).join(', ')}; removed ${o.remove.map((r) => `${r.kind}/${r.name}`).join(', ')}`);

  let statusReported = false;
  await until(
    'every workload to be ready',
    900,
    async () => {
      const states = await workloads();
      const waiting = states.filter((s) => !s.ready);
      return statusReported && waiting.length === 0;
    },
    async () => {
      await provisionVolumes();
      if (!statusReported) statusReported = await reportKafkaStatus(rendered).catch(() => false);
    },
  );
  say('every Deployment, StatefulSet and DaemonSet is ready');
  return rendered;
}

async function podStartTimes(): Promise<string> {
  const pods = (await core.listPodForAllNamespaces()).items.filter((p) => p.metadata!.namespace !== 'default');
  const rows = pods.map((p) => {
    const created = new Date(p.metadata!.creationTimestamp!).getTime();
    const ready = p.status?.conditions?.find((c) => c.type === 'Ready' && c.status === 'True')?.lastTransitionTime;
    const restarts = (p.status?.containerStatuses ?? []).reduce((n, c) => n + c.restartCount, 0);
    return `| ${p.metadata!.namespace}/${p.metadata!.name} | ${ready ? ((new Date(ready).getTime() - created) / 1000).toFixed(0) : '-'} | ${restarts} |`;
  });
  return `| pod | seconds from creation to Ready | restarts |\n| --- | ---: | ---: |\n${rows.sort().join('\n')}\n`;
}

async function main(): Promise<number> {
  let rendered: Obj[];
  try {
    rendered = await deploy();
    writeFileSync(path.join(nodeDir, 'rendered.json'), JSON.stringify(rendered));
    process.stdout.write(`\n${await podStartTimes()}\n`);
  } catch (err) {
    process.stderr.write(`test-cluster: ${(err as Error).message}\n`);
    for (const s of await workloads().catch(() => [])) if (!s.ready) process.stderr.write(`  not ready: ${s.id}\n`);
    const pods = await core.listPodForAllNamespaces().catch(() => undefined);
    for (const p of pods?.items ?? []) {
      const bad = (p.status?.containerStatuses ?? []).filter((c) => !c.ready);
      if (bad.length || p.status?.phase !== 'Running')
        process.stderr.write(
          `  pod ${p.metadata!.namespace}/${p.metadata!.name}: ${p.status?.phase} ${bad.map((c) => `${c.name} ${JSON.stringify(c.state)}`).join('; ')}\n`,
        );
    }
    return 1;
  }
  // The Strimzi stand-in keeps reconciling while the tests run: a helm upgrade may change a resource.
  const reconcile = setInterval(() => void reportKafkaStatus(rendered).catch(() => {}), 5000);
  return new Promise((resolve) => {
    // CLUSTER_TESTS=<part of a name>[,<part>...] runs only the matching tests (while working on some).
    const parts = process.env.CLUSTER_TESTS ? process.env.CLUSTER_TESTS.split(',').map((p) => `*${p.trim()}*`) : ['*'];
    const files = parts.map((p) => `tests/cluster/${p}.cluster-test.ts`);
    const child = spawn(process.execPath, ['--test', '--test-reporter=spec', '--test-concurrency=1', ...files], {
      cwd: root,
      stdio: 'inherit',
      env: process.env,
    });
    child.on('exit', (code) => {
      clearInterval(reconcile);
      resolve(code ?? 1);
    });
  });
}

process.exitCode = await main();
