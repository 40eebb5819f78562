// skaffold itself on the real node, started as `make dev` starts it
// (`skaffold dev --port-forward=user`), with the Helm profile and the tier's
// config (skaffold.ts: a custom buildah build that pushes to the node's
// registry, no Strimzi release):
//
// - it builds every image, deploys the chart, passes its status check and
//   forwards the gateway's port;
// - an edit of the gateway's source is rebuilt and redeployed, and the next
//   request through that port-forward answers with it (the time is reported);
// - Ctrl-C cleans up (the release is gone), and a second `skaffold dev`
//   right after works;
// - then `skaffold run -p helm` deploys the system once more, `skaffold
//   delete -p helm` removes it, and `skaffold run` without a profile deploys
//   the plain manifests (kubectl), which answer; `skaffold delete` again.
//
// It works on a clone of the checkout, never on the checkout itself, and
// runs last (deploy.ts): it uninstalls the release the other tests use.
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cachedTool } from '@shop/cdk8s/paths';
import { TIER_MANIFESTS, tierManifests, tierSkaffoldConfig } from './skaffold.ts';
import { REGISTRY } from './node/config.ts';
import { provisionVolumes } from './volumes.ts';
import { CHART_NAMESPACES, CONTEXT, KUBECONFIG, apps, core, eventually, forward, sleep } from './support.ts';

const root = path.resolve(import.meta.dirname, '..', '..');
const nodeDir = process.env.SHOP_NODE_DIR!;
const CONFIG = 'skaffold.tier.yaml';
const EDITED = 'services/gateway/src/openapi/document.ts';
const TITLE = "title: 'otel-shop public API'";

const skaffoldBin = cachedTool('skaffold.sh');
const toolPath = [path.dirname(cachedTool('helm.sh')), cachedTool('kubernetes.sh', 'kube-node', 'kubectl'), process.env.PATH].join(':');

interface Skaffold {
  child: ChildProcess;
  output: string[];
  exited: Promise<number>;
}

/** skaffold as a user types it, from the clone, against the node; with the Helm profile unless `plain`. */
function skaffold(repo: string, args: string[], deploy: 'helm' | 'plain' = 'helm'): Skaffold {
  const child = spawn(
    skaffoldBin,
    [
      ...args,
      '-f',
      CONFIG,
      ...(deploy === 'helm' ? ['-p', 'helm'] : []),
      `--kube-context=${CONTEXT}`,
      `--default-repo=${REGISTRY}`,
      // skaffold delete pulls nothing and has no such flag.
      ...(args[0] === 'delete' ? [] : [`--insecure-registry=${REGISTRY}`]),
    ],
    {
      cwd: repo,
      env: { ...process.env, PATH: toolPath, HOME: path.join(repo, '..', 'home'), KUBECONFIG, SKAFFOLD_UPDATE_CHECK: 'false', SKAFFOLD_INTERACTIVE: 'false' },
      stdio: ['ignore', 'pipe', 'pipe'],
      // Its own process group, as in a terminal: Ctrl-C reaches skaffold and what it started (kubectl port-forward, builds).
      detached: true,
    },
  );
  const output: string[] = [];
  const keep = (chunk: Buffer) => output.push(...chunk.toString().split('\n').filter(Boolean));
  child.stdout!.on('data', keep);
  child.stderr!.on('data', keep);
  const exited = new Promise<number>((resolve) => child.on('exit', (code, signal) => resolve(code ?? (signal ? 128 : 1))));
  return { child, output, exited };
}

const tail = (s: Skaffold) => s.output.slice(-25).join('\n');

/** Polls `get` each second while skaffold runs: skaffold exiting, or the time running out, fails with its last lines. */
async function whileRunning<T>(s: Skaffold, what: string, seconds: number, get: () => Promise<T | undefined>): Promise<T> {
  const end = Date.now() + seconds * 1000;
  for (;;) {
    const value = await get();
    if (value !== undefined) return value;
    if (s.child.exitCode !== null || s.child.signalCode !== null)
      throw new Error(`skaffold exited (${s.child.exitCode ?? s.child.signalCode}) before ${what}:\n${tail(s)}`);
    if (Date.now() > end) throw new Error(`no ${what} after ${seconds} s:\n${tail(s)}`);
    await sleep(1000);
  }
}

/** The gateway's address on this side of skaffold's port-forward, once skaffold has opened it. */
function gatewayForward(s: Skaffold, seconds: number): Promise<string> {
  return whileRunning(s, "skaffold's port-forward to the gateway", seconds, async () => {
    const line = s.output.find((l) => /Port forwarding service\/gateway in namespace \S+, remote port 8080 -> /.test(l));
    return line ? /-> (http:\/\/)?([\d.]+:\d+)/.exec(line)?.[2] : undefined;
  });
}

async function openapiTitle(address: string): Promise<string | undefined> {
  try {
    const res = await fetch(`http://${address}/api/openapi.json`, { signal: AbortSignal.timeout(3000) });
    return res.ok ? ((await res.json()) as { info: { title: string } }).info.title : undefined;
  } catch {
    return undefined;
  }
}

/** Ctrl-C, and skaffold's exit code once it has cleaned up (-1: still running after 5 minutes, then killed). */
async function ctrlC(s: Skaffold): Promise<number> {
  signal(s, 'SIGINT');
  let timer: NodeJS.Timeout | undefined;
  const code = await Promise.race([s.exited, new Promise<number>((resolve) => (timer = setTimeout(() => resolve(-1), 300_000)))]);
  clearTimeout(timer);
  if (code === -1) signal(s, 'SIGKILL');
  return code;
}

/** A signal to skaffold's process group, as a terminal sends Ctrl-C. */
function signal(s: Skaffold, name: NodeJS.Signals): void {
  try {
    process.kill(-s.child.pid!, name);
  } catch {
    // the group is gone
  }
}

/** What `make dev` waits for before it starts skaffold (scripts/kubernetes/kind-cluster.sh ready): the last clean-up done. */
async function cleanedUp(): Promise<void> {
  await eventually('the release and its namespaces gone', 300, async () => {
    const names = (await core.listNamespace()).items.map((n) => n.metadata!.name!);
    return CHART_NAMESPACES.some((n) => names.includes(n)) ? undefined : true;
  });
}

test('skaffold dev builds, deploys and forwards; an edit is answered through :8080; Ctrl-C cleans up; it starts again; skaffold run deploys the chart and the plain manifests', async () => {
  const work = mkdtempSync(path.join(tmpdir(), 'otel-shop-skaffold-'));
  const volumes = setInterval(() => void provisionVolumes(core, nodeDir, () => {}).catch(() => {}), 2000);
  const running: Skaffold[] = [];
  try {
    execFileSync('git', ['clone', '--quiet', '--no-hardlinks', root, path.join(work, 'repo')]);
    const repo = path.join(work, 'repo');
    mkdirSync(path.join(work, 'home'));
    writeFileSync(
      path.join(repo, CONFIG),
      tierSkaffoldConfig(readFileSync(path.join(repo, 'skaffold.yaml'), 'utf8'), readFileSync(path.join(repo, 'Dockerfile'), 'utf8')),
    );
    mkdirSync(path.join(repo, path.dirname(TIER_MANIFESTS)));
    writeFileSync(path.join(repo, path.dirname(TIER_MANIFESTS), 'stack.k8s.yaml'), tierManifests(repo));

    // 1. skaffold dev over the release the tier installed: builds, upgrades, waits, forwards.
    let started = Date.now();
    const first = skaffold(repo, ['dev', '--port-forward=user']);
    running.push(first);
    const address = await gatewayForward(first, 900);
    const original = await whileRunning(first, `the gateway through ${address}`, 300, () => openapiTitle(address));
    assert.equal(original, 'otel-shop public API');
    process.stdout.write(
      `# skaffold dev: built, deployed, status check passed, gateway answering on ${address} after ${((Date.now() - started) / 1000).toFixed(0)} s\n`,
    );
    const gateway = await apps.readNamespacedDeployment({ name: 'gateway', namespace: 'shop' });
    assert.match(gateway.spec!.template.spec!.containers[0]!.image!, new RegExp(`^${REGISTRY}/.*@sha256:`), 'the image skaffold built and pushed');

    // 2. The edit: rebuilt, redeployed, answered.
    const file = path.join(repo, EDITED);
    const source = readFileSync(file, 'utf8');
    assert.ok(source.includes(TITLE), `${EDITED} still holds ${TITLE}`);
    const edited = `otel-shop public API, edited ${Date.now()}`;
    started = Date.now();
    writeFileSync(file, source.replace(TITLE, `title: '${edited}'`));
    await whileRunning(first, "the edit through skaffold's port-forward", 600, async () => ((await openapiTitle(address)) === edited ? true : undefined));
    process.stdout.write(`# skaffold dev: the edit answered through the port-forward ${((Date.now() - started) / 1000).toFixed(1)} s after it was saved\n`);

    // 3. Ctrl-C cleans up; a second start right after (once the clean-up is done, as make dev waits) works.
    started = Date.now();
    assert.equal(await ctrlC(first), 0, tail(first));
    await assert.rejects(apps.readNamespacedDeployment({ name: 'gateway', namespace: 'shop' }), 'the release is gone');
    await cleanedUp();
    process.stdout.write(`# Ctrl-C: skaffold exited and its clean-up finished in ${((Date.now() - started) / 1000).toFixed(0)} s\n`);
    started = Date.now();
    const second = skaffold(repo, ['dev', '--port-forward=user']);
    running.push(second);
    const again = await gatewayForward(second, 900);
    assert.ok(await whileRunning(second, `the gateway again through ${again}`, 300, () => openapiTitle(again)));
    process.stdout.write(`# the second skaffold dev: gateway answering after ${((Date.now() - started) / 1000).toFixed(0)} s\n`);
    assert.equal(await ctrlC(second), 0, tail(second));
    await cleanedUp();

    // 4. skaffold run: build (from skaffold's cache), deploy, status check, exit.
    started = Date.now();
    const run = skaffold(repo, ['run']);
    running.push(run);
    assert.equal(await run.exited, 0, tail(run));
    process.stdout.write(`# skaffold run -p helm: deployed and every workload ready in ${((Date.now() - started) / 1000).toFixed(0)} s\n`);

    // 5. The plain manifests: skaffold delete the release, skaffold run without a profile (kubectl), answered, deleted.
    const deleted = skaffold(repo, ['delete']);
    running.push(deleted);
    assert.equal(await deleted.exited, 0, tail(deleted));
    await cleanedUp();
    started = Date.now();
    const plain = skaffold(repo, ['run'], 'plain');
    running.push(plain);
    assert.equal(await plain.exited, 0, tail(plain));
    const title = await forward('shop', 'gateway', 8080, (url) =>
      eventually('the gateway of the plain manifests', 60, () => openapiTitle(url.replace(/^http:\/\//, ''))),
    );
    // skaffold put its images into the plain manifests: the gateway runs the clone's source, edit included.
    assert.equal(title, edited);
    process.stdout.write(
      `# skaffold run (plain manifests, kubectl): deployed, every workload ready and the gateway answering in ${((Date.now() - started) / 1000).toFixed(0)} s\n`,
    );
    const plainDeleted = skaffold(repo, ['delete'], 'plain');
    running.push(plainDeleted);
    assert.equal(await plainDeleted.exited, 0, tail(plainDeleted));
    await cleanedUp();
  } finally {
    clearInterval(volumes);
    // Whatever is left of a skaffold that failed: it and its port-forwards.
    for (const s of running) signal(s, 'SIGKILL');
    rmSync(work, { recursive: true, force: true });
  }
});
