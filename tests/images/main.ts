// `make test-images`: the five services, the storefront and the load generator from their images (make images), each
// container with exactly the settings its Deployment in cdk8s/manifests gives
// it (pod-spec.ts), against the local infrastructure of `make local`; then the
// end-to-end and browser tests, unchanged, and the image tests (*.image-test.ts) against
// them. make local's own service processes are stopped for the run (same
// ports) and started again afterwards. Containers use podman's host network
// mode, which creates no bridge, rule or sysctl; every container this run
// made is removed at the end, also after a failure or Ctrl-C.
import { spawn, spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import path from 'node:path';
import { parseAllDocuments } from 'yaml';
import { LOAD_GENERATOR, STOREFRONT, startOrder } from '@shop/contracts';
import { DEV_ONLY } from '@shop/cdk8s/credentials';
import { podRun, podmanRunArgs, type ContainerRun, type Obj, type PodRun, type Probe } from './pod-spec.ts';
import { differences, snapshot } from '../host/snapshot.ts';
import { cgroupParent } from '../cluster/node/layout.ts';
import { IMAGE_RUN_LABEL, podman } from './podman.ts';

const root = path.resolve(import.meta.dirname, '..', '..');
// Callees first, as make local starts them; the storefront and the load generator call the gateway.
const WORKLOADS = [...startOrder(), STOREFRONT.name, LOAD_GENERATOR.name];
const runId = randomUUID().slice(0, 8);
const label = `${IMAGE_RUN_LABEL}=${runId}`;
const work = mkdtempSync(path.join(tmpdir(), 'otel-shop-images-'));

function manifests(): Obj[] {
  const dir = path.join(root, 'cdk8s', 'manifests');
  return readdirSync(dir)
    .filter((f) => f.endsWith('.yaml'))
    .sort()
    .flatMap((f) => parseAllDocuments(readFileSync(path.join(dir, f), 'utf8')).map((d) => d.toJSON() as Obj))
    .filter(Boolean);
}

function localScript(...args: string[]): void {
  const r = spawnSync('bash', [path.join(root, 'scripts', 'local', 'local.sh'), ...args], { stdio: ['ignore', 'inherit', 'inherit'] });
  if (r.status !== 0) throw new Error(`scripts/local/local.sh ${args.join(' ')} failed`);
}

function localServicesRunning(): boolean {
  const out = spawnSync('bash', [path.join(root, 'scripts', 'local', 'local.sh'), 'status'], { encoding: 'utf8' }).stdout ?? '';
  return /^gateway\s.*ready/m.test(out);
}

function teardown(): void {
  const ids = podman(['ps', '--all', '--quiet', '--filter', `label=${label}`], { allowFail: true })
    .trim()
    .split('\n')
    .filter(Boolean);
  if (ids.length) podman(['rm', '--force', '--time', '10', ...ids], { allowFail: true });
  rmSync(work, { recursive: true, force: true });
}

function envFile(c: ContainerRun): string {
  // A file, not --env: the values include credentials, which must not show in a process list.
  const file = path.join(work, `${c.name}.env`);
  writeFileSync(file, `${c.env.map(([k, v]) => `${k}=${v}`).join('\n')}\n`, { mode: 0o600 });
  return file;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function answers(probe: Probe | undefined): Promise<boolean> {
  if (!probe) return true;
  try {
    const res = await fetch(`http://127.0.0.1:${probe.port}${probe.path}`, { signal: AbortSignal.timeout(2000) });
    return res.ok;
  } catch {
    return false;
  }
}

/**
 * The kubelet's liveness check while the tests run: failureThreshold misses
 * in a row would restart the container, which here fails the run.
 */
function watchLiveness(containers: ContainerRun[]): { stop(): string[] } {
  const failures: string[] = [];
  const timers = containers.flatMap((c) => {
    const probe = c.liveness;
    if (!probe) return [];
    let misses = 0;
    return [
      setInterval(async () => {
        misses = (await answers(probe)) ? 0 : misses + 1;
        if (misses === probe.failureThreshold)
          failures.push(`${c.name}: liveness ${probe.path} failed ${misses} times in a row (the kubelet would restart it)`);
      }, probe.periodSeconds * 1000),
    ];
  });
  return {
    stop: () => {
      for (const t of timers) clearInterval(t);
      return failures;
    },
  };
}

/** Runs an init container to completion, as the kubelet does before the app starts; its seconds. */
function runInit(c: ContainerRun): number {
  const started = Date.now();
  podman(podmanRunArgs(c, label, envFile(c)));
  const code = podman(['wait', c.name]).trim();
  if (code !== '0') throw new Error(`init container ${c.name} exited ${code}:\n${podman(['logs', '--tail', '30', c.name], { allowFail: true })}`);
  return (Date.now() - started) / 1000;
}

/** Starts the app container and waits for its readiness probe; a container that never becomes ready fails the run. */
async function start(c: ContainerRun): Promise<number> {
  const started = Date.now();
  podman(podmanRunArgs(c, label, envFile(c)));
  const probe = c.readiness;
  const deadline = started + 1000 * (c.startupSeconds + (probe ? probe.periodSeconds * probe.failureThreshold : 0) + 10);
  for (;;) {
    if (await answers(probe)) return (Date.now() - started) / 1000;
    const state = podman(['inspect', '--format', '{{.State.Status}} {{.State.ExitCode}}', c.name]).trim();
    if (!state.startsWith('running')) throw new Error(`${c.name} stopped (${state}):\n${podman(['logs', '--tail', '40', c.name], { allowFail: true })}`);
    if (Date.now() > deadline)
      throw new Error(`${c.name} never became ready (${probe?.path} on ${probe?.port}):\n${podman(['logs', '--tail', '40', c.name], { allowFail: true })}`);
    await sleep(Math.min(1000, (probe?.periodSeconds ?? 1) * 1000));
  }
}

function runTests(): Promise<number> {
  const files = ['tests/e2e/*.test.ts', 'tests/browser/*.test.ts', 'tests/images/*.image-test.ts'];
  const child = spawn(process.execPath, ['--test', '--test-reporter=spec', '--test-concurrency=1', ...files], {
    cwd: root,
    stdio: 'inherit',
    env: { ...process.env, SHOP_API_KEY: DEV_ONLY.apiKey, SHOP_IMAGE_RUN: runId },
  });
  return new Promise((resolve) => child.on('exit', (code) => resolve(code ?? 1)));
}

async function main(): Promise<number> {
  const objects = manifests();
  const ctx = { nodeIp: '127.0.0.1', nodeName: hostname(), podUid: randomUUID(), namePrefix: `otel-shop-${runId}-` };
  const pods: PodRun[] = WORKLOADS.map((s) => podRun(objects, 'shop', s, ctx));
  for (const p of pods) podman(['image', 'exists', p.main.image], { what: `${p.main.image} is not built: run make images` });

  const parent = cgroupParent(readFileSync('/proc/self/cgroup', 'utf8'));
  const before = snapshot(parent);
  const restartLocal = localServicesRunning();
  if (restartLocal) localScript('stop');
  const rows: string[] = [];
  let code = 1;
  try {
    for (const p of pods) {
      const init = p.init.reduce((sum, c) => sum + runInit(c), 0);
      const seconds = await start(p.main);
      const size = Number(podman(['image', 'inspect', '--format', '{{.Size}}', p.main.image]).trim());
      rows.push(
        `| ${p.service} | \`${p.main.image}\` | ${(size / 1e6).toFixed(1)} MB | ${p.init.length ? `${init.toFixed(1)} s` : '-'} | ${seconds.toFixed(1)} s |`,
      );
    }
    process.stdout.write(
      `\n| service | image | size | init container (migrations) | seconds to ready |\n| --- | --- | ---: | ---: | ---: |\n${rows.join('\n')}\n\n`,
    );
    const liveness = watchLiveness(pods.map((p) => p.main));
    code = await runTests();
    const failures = liveness.stop();
    for (const f of failures) process.stderr.write(`test-images: ${f}\n`);
    if (failures.length) code = 1;
  } finally {
    teardown();
    if (restartLocal) localScript('up');
  }
  const changed = differences(before, snapshot(parent));
  if (changed.length) {
    process.stderr.write(`test-images: the host is not as it was:\n  ${changed.join('\n  ')}\n`);
    return 1;
  }
  return code;
}

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    teardown();
    process.exit(130);
  });
}
try {
  process.exitCode = await main();
} catch (err) {
  process.stderr.write(`test-images: ${(err as Error).message}\n`);
  process.exitCode = 1;
}
