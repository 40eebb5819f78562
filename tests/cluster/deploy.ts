// Runs inside the node's network namespace (main.ts starts it there): the
// cluster's own DNS, the otel-shop chart installed with Helm as a user would
// (with the tier's values, overlay.ts), volumes for the claims, and a wait
// for every workload and the topics Job. Then the cluster tests, against
// the live cluster. Exits with their result.
import { execFileSync, spawn } from 'node:child_process';
import { readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { AppsV1Api, BatchV1Api, CoreV1Api, KubeConfig, KubernetesObjectApi, PatchStrategy, type KubernetesObject } from '@kubernetes/client-node';
import { parseAllDocuments } from 'yaml';
import { cachedTool } from '@shop/cdk8s/paths';
import { bootstrapObjects } from './bootstrap.ts';
import { INSTALL_VALUES, TIER_VALUES } from './overlay.ts';
import { workloadStates } from './readiness.ts';
import { provisionVolumes } from './volumes.ts';

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

const workloads = () => workloadStates(apps);

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

  const chart = path.join(root, 'charts', 'otel-shop');
  helm(['install', 'otel-shop', chart, '--namespace', 'default', ...INSTALL_VALUES]);
  const rendered = docs(helm(['get', 'manifest', 'otel-shop', '--namespace', 'default']));
  say(`helm install otel-shop charts/otel-shop -f values-three-namespaces.yaml ${TIER_VALUES.join(' ')}: ${rendered.length} objects`);

  const jobs = rendered.filter((o) => o.kind === 'Job');
  await until(
    'every workload to be ready and every Job of the chart to complete',
    900,
    async () => {
      const waiting = (await workloads()).filter((s) => !s.ready);
      for (const j of jobs) {
        const job = await batch.readNamespacedJob({ name: j.metadata.name, namespace: j.metadata.namespace });
        if (!job.status?.succeeded) return false;
      }
      return waiting.length === 0;
    },
    () => provisionVolumes(core, nodeDir, say),
  );
  say(`every Deployment, StatefulSet and DaemonSet is ready; ${jobs.map((j) => `Job/${j.metadata.name}`).join(', ')} complete`);
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

/** skaffold's test uninstalls the release (its Ctrl-C) before it deploys it again: after every other test. */
const runsLast = (file: string) => file.startsWith('skaffold-');

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
  // CLUSTER_TESTS=<part of a name>[,<part>...] runs only the matching tests (while working on some).
  const parts = process.env.CLUSTER_TESTS ? process.env.CLUSTER_TESTS.split(',').map((p) => p.trim()) : [''];
  const files = readdirSync(path.join(root, 'tests', 'cluster'))
    .filter((f) => f.endsWith('.cluster-test.ts') && parts.some((p) => f.includes(p)))
    .map((f) => `tests/cluster/${f}`);
  // node --test orders the files it is given: the last ones get a run of their own, after the others.
  const first = await runTests(files.filter((f) => !runsLast(path.basename(f))));
  const last = await runTests(files.filter((f) => runsLast(path.basename(f))));
  return first || last;
}

function runTests(files: string[]): Promise<number> {
  if (files.length === 0) return Promise.resolve(0);
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--test', '--test-reporter=spec', '--test-concurrency=1', ...files], {
      cwd: root,
      stdio: 'inherit',
      env: process.env,
    });
    child.on('exit', (code) => resolve(code ?? 1));
  });
}

process.exitCode = await main();
