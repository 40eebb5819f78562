// `make test-cluster`: a real Kubernetes node on this machine (node/node.ts),
// the five images and the test-only stand-ins loaded into its containerd,
// then, inside the node's network namespace, the chart installed with Helm
// and the tier's values (overlay.ts), every workload waited for and the
// cluster tests run (deploy.ts). Everything is torn down at the end, after a failure or Ctrl-C
// too, and the host must be as it was: the same sysctls, routes, rules,
// links, firewall, cgroups and mounts (node/host.ts).
import { execFileSync, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { IMAGE_NAMES } from '@shop/contracts';
import { cgroupParent } from './node/layout.ts';
import { differences, snapshot } from '../host/snapshot.ts';
import { Node, type NodeTools } from './node/node.ts';

const root = path.resolve(import.meta.dirname, '..', '..');
const started = Date.now();
const say = (line: string) => process.stdout.write(`[${((Date.now() - started) / 1000).toFixed(0).padStart(4)} s] ${line}\n`);

function script(rel: string, ...args: string[]): string {
  return execFileSync('bash', [path.join(root, rel), ...args], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] }).trim();
}

function lib(name: string): string {
  const value = new RegExp(`^${name}=(\\S+)`, 'm').exec(readFileSync(path.join(root, 'scripts', 'lib.sh'), 'utf8'))?.[1];
  if (!value) throw new Error(`scripts/lib.sh has no ${name}`);
  return value;
}

/** The cached tools, without building any: a missing one is the command that builds them. */
function tools(): NodeTools {
  const cache = process.env.SHOP_CACHE_DIR ?? path.join(process.env.XDG_CACHE_HOME ?? path.join(process.env.HOME ?? '/root', '.cache'), 'otel-shop');
  const k = lib('KUBERNETES_VERSION');
  const t: NodeTools = {
    etcd: path.join(cache, `etcd-${lib('ETCD_VERSION')}`, 'etcd'),
    kubeApiserver: path.join(cache, `kube-apiserver-${k}`, 'kube-apiserver'),
    kubeNodeDir: path.join(cache, `kube-node-${k}`),
    containerdDir: path.join(cache, `containerd-${lib('CONTAINERD_VERSION')}`),
    kubeRouter: path.join(cache, `kube-router-${lib('KUBE_ROUTER_VERSION')}`, 'kube-router'),
    registry: path.join(cache, `registry-${lib('DISTRIBUTION_VERSION')}`, 'registry'),
    runc: execFileSync('sh', ['-c', 'command -v runc'], { encoding: 'utf8' }).trim(),
  };
  const needed = [
    t.etcd,
    t.kubeApiserver,
    t.kubeRouter,
    t.registry,
    ...['kubelet', 'kube-proxy', 'kube-controller-manager', 'kube-scheduler'].map((b) => path.join(t.kubeNodeDir, b)),
    ...['containerd', 'containerd-shim-runc-v2', 'ctr'].map((b) => path.join(t.containerdDir, b)),
  ];
  const missing = needed.filter((f) => !existsSync(f));
  if (missing.length)
    throw new Error(
      `the node's tools are not built (${missing.map((m) => path.basename(m)).join(', ')}): run make cluster-tools (about an hour on 2 cores, once)`,
    );
  return t;
}

/** Our images (IMAGE_NAMES), as docker archives under the names the kubelet resolves (docker.io/otel-shop/...). */
function serviceArchives(dir: string): string[] {
  const env = { ...process.env, CONTAINERS_CONF: path.join(root, 'scripts', 'images', 'containers.conf') };
  return IMAGE_NAMES.map((s) => {
    const version = JSON.parse(readFileSync(path.join(root, 'services', s, 'package.json'), 'utf8')).version as string;
    const name = `docker.io/otel-shop/${s}:${version}`;
    execFileSync('podman', ['tag', `localhost/otel-shop/${s}:${version}`, name], { env });
    const file = path.join(dir, `${s}.tar`);
    execFileSync('podman', ['save', '--quiet', '--format', 'docker-archive', '-o', file, name], { env });
    return file;
  });
}

async function main(): Promise<number> {
  const nodeTools = tools();
  const layout = {
    dir: mkdtempSync(path.join(tmpdir(), 'otel-shop-node-')),
    netns: `otel-shop-${randomUUID().slice(0, 8)}`,
    cgroupRoot: '',
  };
  const parent = cgroupParent(readFileSync('/proc/self/cgroup', 'utf8'));
  layout.cgroupRoot = `${parent}/${layout.netns}`;
  const before = snapshot(parent);
  say(`building the stand-in images (scripts/cluster/stand-ins.sh)`);
  const standIns = script('scripts/cluster/stand-ins.sh');
  const serviceImages = serviceArchives(layout.dir);
  const node = new Node(layout, nodeTools);
  // One teardown, whoever asks first (Ctrl-C or the end of the run); everyone waits for it.
  let stopping: Promise<void> | undefined;
  const stop = () => {
    stopping ??= (async () => {
      say('tearing the node down');
      await node.down(say);
    })();
    return stopping;
  };
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => void stop().then(() => process.exit(130)));

  let code = 1;
  try {
    await node.up(say);
    const archives = [
      ...serviceImages,
      ...readdirSync(standIns)
        .filter((f) => f.endsWith('.tar'))
        .map((f) => path.join(standIns, f)),
    ];
    await node.importImages(archives);
    say(`node: ${archives.length} images imported into containerd`);
    await node.startKubelet(say);
    code = await new Promise<number>((resolve) => {
      const child = spawn('nsenter', [`--net=/run/netns/${layout.netns}`, '--', process.execPath, path.join(root, 'tests', 'cluster', 'deploy.ts')], {
        cwd: root,
        stdio: 'inherit',
        env: {
          ...process.env,
          KUBECONFIG: node.kubeconfig,
          SHOP_NODE_DIR: layout.dir,
          SHOP_CGROUP_ROOT: layout.cgroupRoot,
          SHOP_RUN_STARTED: String(started),
          // The machine's network namespace (this process's), for what must reach the registries from inside the node's.
          SHOP_HOST_NETNS: `/proc/${process.pid}/ns/net`,
        },
      });
      child.on('exit', (c) => resolve(c ?? 1));
    });
  } catch (err) {
    process.stderr.write(`test-cluster: ${(err as Error).message}\n`);
    code = 1;
  } finally {
    await stop();
  }
  const changed = differences(before, snapshot(parent), layout.netns);
  if (changed.length) {
    process.stderr.write(`test-cluster: the host is not as it was:\n  ${changed.join('\n  ')}\n`);
    return 1;
  }
  say(`the host is as it was (sysctls, routes, rules, links, firewall, cgroups, mounts); total ${((Date.now() - started) / 1000).toFixed(0)} s`);
  return code;
}

process.exitCode = await main();
