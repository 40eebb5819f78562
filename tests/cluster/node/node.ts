// The node of `make test-cluster`: etcd, kube-apiserver, controller-manager,
// scheduler, containerd (runc, the CNI bridge), kubelet, kube-proxy
// (iptables) and kube-router's firewall (the NetworkPolicies), all inside a
// network namespace this run creates and a private mount namespace, so that
// what they write to fixed paths, the kernel-wide sysctls kubelet checks and
// the pods' cgroups stay off the host: the node's cgroups hang under this
// run's own cgroup. `down()` removes every process, cgroup, mount and the
// namespace, also after a failure.
import { execFile, execFileSync, spawn } from 'node:child_process';
import { promisify } from 'node:util';
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, readdirSync, rmSync, rmdirSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import {
  cniConflist,
  containerdConfig,
  HOST_RESOLV_CONF,
  KUBELET_SYSCTLS,
  REGISTRY,
  kubeProxyConfig,
  kubeconfig,
  kubeletConfig,
  registryConfig,
  registryHosts,
} from './config.ts';
import { cgroupMounts } from '../../host/snapshot.ts';
import { API_PORT, BRIDGE, CLUSTER_CIDR, CLUSTER_DOMAIN, NODE_IP, NODE_NAME, SERVICE_CIDR, paths, type NodeLayout } from './layout.ts';
import { makePki, type Pki } from './pki.ts';

export interface NodeTools {
  etcd: string;
  kubeApiserver: string;
  /** kubelet, kube-proxy, kube-controller-manager, kube-scheduler. */
  kubeNodeDir: string;
  /** containerd, containerd-shim-runc-v2, ctr. */
  containerdDir: string;
  kubeRouter: string;
  /** CNCF distribution's registry: what skaffold pushes, the node pulls (kind would take `kind load`ed images). */
  registry: string;
  runc: string;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const execFileAsync = promisify(execFile);

function run(cmd: string, args: string[], input?: string): string {
  return execFileSync(cmd, args, { encoding: 'utf8', input, stdio: [input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'] });
}

export class Node {
  readonly p: ReturnType<typeof paths>;
  pki!: Pki;
  private holder = 0;
  private readonly daemons = new Map<string, number>();

  readonly layout: NodeLayout;
  readonly tools: NodeTools;

  constructor(layout: NodeLayout, tools: NodeTools) {
    this.layout = layout;
    this.tools = tools;
    this.p = paths(layout);
  }

  /** Runs a command inside the node (its network and mount namespaces). */
  exec(args: string[], input?: string): string {
    return run('nsenter', ['-t', String(this.holder), '-m', '-n', '--', ...args], input);
  }

  /** The admin kubeconfig, for processes inside the node's network namespace. */
  get kubeconfig(): string {
    return this.p.kubeconfig;
  }

  async up(log: (line: string) => void): Promise<void> {
    const t0 = Date.now();
    const step = (what: string) => log(`node: ${what} (${((Date.now() - t0) / 1000).toFixed(1)} s)`);
    for (const d of [this.layout.dir, this.p.logs, this.p.configs, this.p.sysctls, this.p.volumes, this.p.pids, ...Object.values(this.p.binds)])
      mkdirSync(d, { recursive: true });
    this.pki = makePki(this.p.pki);
    writeFileSync(this.p.kubeconfig, kubeconfig(this.pki, 'admin'), { mode: 0o600 });
    writeFileSync(path.join(this.p.configs, 'kubelet.kubeconfig'), kubeconfig(this.pki, 'kubelet'), { mode: 0o600 });
    this.createNetns();
    this.createCgroups();
    this.startHolder();
    this.privateMounts();
    step('namespaces, cgroups and private mounts ready');

    await this.startEtcd();
    await this.startApiserver();
    step('etcd and kube-apiserver ready');
    const kd = this.tools.kubeNodeDir;
    this.daemon('kube-controller-manager', [
      path.join(kd, 'kube-controller-manager'),
      `--kubeconfig=${this.p.kubeconfig}`,
      `--authentication-kubeconfig=${this.p.kubeconfig}`,
      `--authorization-kubeconfig=${this.p.kubeconfig}`,
      '--bind-address=127.0.0.1',
      '--leader-elect=false',
      `--service-account-private-key-file=${this.pki.file('sa', 'key')}`,
      `--root-ca-file=${this.pki.ca}`,
      `--cluster-signing-cert-file=${this.pki.ca}`,
      `--cluster-signing-key-file=${this.pki.file('ca', 'key')}`,
      `--service-cluster-ip-range=${SERVICE_CIDR}`,
      // The node gets POD_CIDR as its podCIDR (the first /24): the CNI bridge hands out the same range.
      '--allocate-node-cidrs=true',
      `--cluster-cidr=${CLUSTER_CIDR}`,
      '--node-cidr-mask-size=24',
      '--use-service-account-credentials=true',
      '--controllers=*',
    ]);
    this.daemon('kube-scheduler', [
      path.join(kd, 'kube-scheduler'),
      `--kubeconfig=${this.p.kubeconfig}`,
      `--authentication-kubeconfig=${this.p.kubeconfig}`,
      `--authorization-kubeconfig=${this.p.kubeconfig}`,
      '--bind-address=127.0.0.1',
      '--leader-elect=false',
    ]);

    await this.startRegistry();
    await this.startContainerd();
    step('the registry and containerd ready');
  }

  /** The kubelet, kube-proxy and the policy enforcer; resolves when the node is Ready. */
  async startKubelet(log: (line: string) => void): Promise<void> {
    writeFileSync(path.join(this.p.binds['/etc/cni']!, 'net.d', '10-otel-shop.conflist'), cniConflist());
    const resolv = path.join(this.p.configs, 'resolv.conf');
    writeFileSync(resolv, HOST_RESOLV_CONF);
    const config = path.join(this.p.configs, 'kubelet.yaml');
    writeFileSync(config, kubeletConfig({ pki: this.pki, cgroupRoot: this.layout.cgroupRoot, resolvConf: resolv }));
    this.daemon('kubelet', [
      path.join(this.tools.kubeNodeDir, 'kubelet'),
      `--config=${config}`,
      `--kubeconfig=${path.join(this.p.configs, 'kubelet.kubeconfig')}`,
      `--hostname-override=${NODE_NAME}`,
      `--node-ip=${NODE_IP}`,
      '--v=1',
    ]);
    await this.waitFor(
      'the node to be Ready',
      180,
      () => {
        try {
          const node = JSON.parse(this.api(`/api/v1/nodes/${NODE_NAME}`));
          return node.status?.conditions?.some((c: { type: string; status: string }) => c.type === 'Ready' && c.status === 'True') === true;
        } catch {
          return false;
        }
      },
      'kubelet',
    );
    const proxyConfig = path.join(this.p.configs, 'kube-proxy.yaml');
    writeFileSync(proxyConfig, kubeProxyConfig(this.p.kubeconfig));
    this.daemon('kube-proxy', [path.join(this.tools.kubeNodeDir, 'kube-proxy'), `--config=${proxyConfig}`]);
    // Firewall only: kube-proxy does the Services and the CNI bridge the routes.
    this.daemon('kube-router', [
      this.tools.kubeRouter,
      `--kubeconfig=${this.p.kubeconfig}`,
      '--run-firewall=true',
      '--run-router=false',
      '--run-service-proxy=false',
      `--hostname-override=${NODE_NAME}`,
      '--metrics-port=0',
      '--health-port=20244',
    ]);
    await this.waitFor('kube-router to answer', 90, () => this.httpOk('http://127.0.0.1:20244/healthz'), 'kube-router');
    log('node: kubelet Ready, kube-proxy and kube-router running');
  }

  /** A GET on the API server, as the admin, from inside the node. */
  api(urlPath: string): string {
    const f = (n: string, e: 'crt' | 'key') => this.pki.file(n, e);
    return this.exec([
      'curl',
      '-fsS',
      '-m',
      '5',
      '--cacert',
      this.pki.ca,
      '--cert',
      f('admin', 'crt'),
      '--key',
      f('admin', 'key'),
      `https://127.0.0.1:${API_PORT}${urlPath}`,
    ]);
  }

  httpOk(url: string): boolean {
    try {
      this.exec(['curl', '-fsS', '-m', '2', '-o', '/dev/null', url]);
      return true;
    } catch {
      return false;
    }
  }

  // ---- namespaces, cgroups, mounts -------------------------------------------------

  /** Whether /run/netns was there before: `ip netns add` makes it a mount point, which down() undoes. */
  private netnsDirExisted = true;

  private createNetns(): void {
    const ns = this.layout.netns;
    this.netnsDirExisted = existsSync('/run/netns');
    run('ip', ['netns', 'add', ns]);
    run('ip', ['-n', ns, 'link', 'set', 'lo', 'up']);
    run('ip', ['-n', ns, 'link', 'add', BRIDGE, 'type', 'bridge']);
    run('ip', ['-n', ns, 'addr', 'add', `${NODE_IP}/24`, 'dev', BRIDGE]);
    run('ip', ['-n', ns, 'link', 'set', BRIDGE, 'up']);
    // Inside the namespace only: its own forwarding and bridge filtering.
    run('nsenter', [`--net=/run/netns/${ns}`, 'sysctl', '-q', '-w', 'net.ipv4.ip_forward=1', 'net.bridge.bridge-nf-call-iptables=1']);
  }

  /** Every cgroup directory this run created, parents first (the run's own cgroup exists in some hierarchies only). */
  private readonly createdCgroups: string[] = [];

  private createCgroups(): void {
    for (const mount of cgroupMounts()) {
      let dir = mount;
      for (const part of this.layout.cgroupRoot.split('/').filter(Boolean)) {
        const parent = dir;
        dir = path.join(dir, part);
        if (existsSync(dir)) continue;
        mkdirSync(dir);
        this.createdCgroups.push(dir);
        // A new cpuset starts empty: it takes its parent's CPUs and memory nodes.
        for (const f of ['cpuset.cpus', 'cpuset.mems']) {
          if (existsSync(path.join(dir, f))) writeFileSync(path.join(dir, f), readFileSync(path.join(parent, f)));
        }
      }
    }
  }

  private startHolder(): void {
    // A process that only holds the node's namespaces; everything else joins it.
    const child = spawn(
      'nsenter',
      [`--net=/run/netns/${this.layout.netns}`, '--', 'unshare', '--mount', '--propagation', 'private', '--', 'sleep', 'infinity'],
      {
        detached: true,
        stdio: 'ignore',
      },
    );
    child.unref();
    this.holder = child.pid!;
    writeFileSync(path.join(this.p.pids, 'holder'), String(this.holder));
    // unshare execs sleep: the mount namespace is ready once the pid's differs from ours.
    for (let i = 0; i < 100; i++) {
      try {
        if (run('readlink', [`/proc/${this.holder}/ns/mnt`]).trim() !== run('readlink', ['/proc/self/ns/mnt']).trim()) return;
      } catch {
        // not yet
      }
      execFileSync('sleep', ['0.05']);
    }
    throw new Error('the namespace holder did not start');
  }

  /** Mount points this run had to create on the host (removed again by down()). */
  private readonly createdDirs: string[] = [];

  private privateMounts(): void {
    const lines = ['set -e'];
    for (const [target, source] of Object.entries(this.p.binds)) {
      // Missing mount points are made on the host, each level recorded, and removed by down().
      const levels: string[] = [];
      for (let d = target; !existsSync(d); d = path.dirname(d)) levels.unshift(d);
      for (const d of levels) {
        mkdirSync(d);
        this.createdDirs.push(d);
      }
      lines.push(`mount --bind '${source}' '${target}'`);
    }
    mkdirSync(path.join(this.p.binds['/etc/cni']!, 'net.d'), { recursive: true });
    mkdirSync(path.join(this.p.binds['/var/lib']!, 'kubelet'), { recursive: true });
    // /proc/sys read-only, but for net/ (per network namespace: this node's and its pods');
    // kubelet's kernel-wide values as read-only files over the real ones.
    const procfs = path.join(this.p.sysctls, 'proc');
    mkdirSync(procfs, { recursive: true });
    lines.push(
      `mount -t proc proc '${procfs}'`,
      'mount --bind /proc/sys /proc/sys',
      'mount -o remount,bind,ro /proc/sys',
      `mount --bind '${procfs}/sys/net' /proc/sys/net`,
    );
    for (const [key, value] of Object.entries(KUBELET_SYSCTLS)) {
      const file = path.join(this.p.sysctls, key.replaceAll('/', '.'));
      writeFileSync(file, `${value}\n`);
      lines.push(`mount --bind '${file}' '/proc/sys/${key}'`, `mount -o remount,bind,ro '/proc/sys/${key}'`);
    }
    this.exec(['sh', '-c', lines.join('\n')]);
  }

  // ---- daemons ---------------------------------------------------------------------

  private daemon(name: string, argv: string[]): void {
    const out = openSync(path.join(this.p.logs, `${name}.log`), 'a');
    const child = spawn('nsenter', ['-t', String(this.holder), '-m', '-n', '--', ...argv], { detached: true, stdio: ['ignore', out, out] });
    closeSync(out);
    child.unref();
    this.daemons.set(name, child.pid!);
    writeFileSync(path.join(this.p.pids, name), String(child.pid));
  }

  alive(name: string): boolean {
    const pid = this.daemons.get(name);
    if (!pid) return false;
    try {
      process.kill(pid, 0);
      return !/^State:\s+Z/m.test(readFileSync(`/proc/${pid}/status`, 'utf8'));
    } catch {
      return false;
    }
  }

  logTail(name: string, lines = 25): string {
    try {
      return readFileSync(path.join(this.p.logs, `${name}.log`), 'utf8')
        .trimEnd()
        .split('\n')
        .slice(-lines)
        .join('\n');
    } catch {
      return '(no log)';
    }
  }

  async waitFor(what: string, seconds: number, ok: () => boolean | Promise<boolean>, daemon?: string): Promise<void> {
    const deadline = Date.now() + seconds * 1000;
    for (;;) {
      if (await ok()) return;
      if (daemon && !this.alive(daemon)) throw new Error(`${daemon} exited while waiting for ${what}:\n${this.logTail(daemon)}`);
      if (Date.now() > deadline) throw new Error(`timed out after ${seconds} s waiting for ${what}${daemon ? `:\n${this.logTail(daemon)}` : ''}`);
      await sleep(500);
    }
  }

  private async startEtcd(): Promise<void> {
    this.daemon('etcd', [
      this.tools.etcd,
      '--name=node',
      `--data-dir=${this.p.etcdData}`,
      '--listen-client-urls=http://127.0.0.1:2379',
      '--advertise-client-urls=http://127.0.0.1:2379',
      '--listen-peer-urls=http://127.0.0.1:2380',
      '--initial-advertise-peer-urls=http://127.0.0.1:2380',
      '--initial-cluster=node=http://127.0.0.1:2380',
      // Throwaway data: fsync on a shared 2-core machine is the slow part.
      '--unsafe-no-fsync',
      '--log-level=warn',
    ]);
    await this.waitFor('etcd', 60, () => this.httpOk('http://127.0.0.1:2379/health'), 'etcd');
  }

  private async startApiserver(): Promise<void> {
    const f = (n: string, e: 'crt' | 'key' | 'pub') => this.pki.file(n, e);
    this.daemon('kube-apiserver', [
      this.tools.kubeApiserver,
      '--etcd-servers=http://127.0.0.1:2379',
      '--bind-address=0.0.0.0',
      `--advertise-address=${NODE_IP}`,
      `--secure-port=${API_PORT}`,
      `--tls-cert-file=${f('apiserver', 'crt')}`,
      `--tls-private-key-file=${f('apiserver', 'key')}`,
      `--client-ca-file=${this.pki.ca}`,
      `--kubelet-client-certificate=${f('apiserver-kubelet-client', 'crt')}`,
      `--kubelet-client-key=${f('apiserver-kubelet-client', 'key')}`,
      `--kubelet-certificate-authority=${this.pki.ca}`,
      '--kubelet-preferred-address-types=InternalIP',
      '--authorization-mode=Node,RBAC',
      '--anonymous-auth=false',
      `--service-account-issuer=https://kubernetes.default.svc.${CLUSTER_DOMAIN}`,
      `--service-account-key-file=${f('sa', 'pub')}`,
      `--service-account-signing-key-file=${f('sa', 'key')}`,
      `--service-cluster-ip-range=${SERVICE_CIDR}`,
      '--allow-privileged=false',
      '--profiling=false',
    ]);
    await this.waitFor(
      'kube-apiserver',
      120,
      () => {
        try {
          this.api('/readyz');
          return true;
        } catch {
          return false;
        }
      },
      'kube-apiserver',
    );
  }

  /** The registry skaffold pushes to, on the node's loopback (REGISTRY), its storage in the run's directory. */
  private async startRegistry(): Promise<void> {
    const config = path.join(this.p.configs, 'registry.yml');
    writeFileSync(config, registryConfig(path.join(this.layout.dir, 'registry')));
    this.daemon('registry', [this.tools.registry, 'serve', config]);
    await this.waitFor('the registry', 30, () => this.httpOk(`http://${REGISTRY}/v2/`), 'registry');
  }

  private async startContainerd(): Promise<void> {
    const config = path.join(this.p.configs, 'containerd.toml');
    const hosts = path.join(this.p.configs, 'certs.d');
    mkdirSync(path.join(hosts, REGISTRY), { recursive: true });
    writeFileSync(path.join(hosts, REGISTRY, 'hosts.toml'), registryHosts());
    writeFileSync(
      config,
      containerdConfig({ cgroupRoot: this.layout.cgroupRoot, runc: this.tools.runc, shimDir: this.tools.containerdDir, registryConfigPath: hosts }),
    );
    // The shim is found on PATH next to containerd.
    this.daemon('containerd', [
      'env',
      `PATH=${this.tools.containerdDir}:/usr/sbin:/usr/bin:/sbin:/bin`,
      path.join(this.tools.containerdDir, 'containerd'),
      `--config=${config}`,
    ]);
    await this.waitFor(
      'containerd',
      60,
      () => {
        try {
          this.ctr(['version']);
          return true;
        } catch {
          return false;
        }
      },
      'containerd',
    );
  }

  ctr(args: string[]): string {
    return this.exec([path.join(this.tools.containerdDir, 'ctr'), '--address', '/run/containerd/containerd.sock', '--namespace', 'k8s.io', ...args]);
  }

  /** Imports image archives (docker-archive) into containerd's Kubernetes namespace under their full names, two at a time. */
  async importImages(archives: string[]): Promise<void> {
    const queue = [...archives];
    const one = async () => {
      for (let a = queue.shift(); a; a = queue.shift()) {
        await execFileAsync('nsenter', [
          '-t',
          String(this.holder),
          '-m',
          '-n',
          '--',
          path.join(this.tools.containerdDir, 'ctr'),
          '--address',
          '/run/containerd/containerd.sock',
          '--namespace',
          'k8s.io',
          'images',
          'import',
          a,
        ]);
      }
    };
    await Promise.all([one(), one()]);
  }

  // ---- teardown --------------------------------------------------------------------

  /** Every process in the node's cgroups (pods, shims, containerd). */
  private cgroupPids(): number[] {
    const pids = new Set<number>();
    const walk = (dir: string) => {
      if (!existsSync(dir)) return;
      try {
        for (const p of readFileSync(path.join(dir, 'cgroup.procs'), 'utf8').split('\n').filter(Boolean)) pids.add(Number(p));
      } catch {
        // not a cgroup directory
      }
      for (const e of readdirSync(dir)) if (statSync(path.join(dir, e)).isDirectory()) walk(path.join(dir, e));
    };
    for (const mount of cgroupMounts()) walk(path.join(mount, this.layout.cgroupRoot));
    return [...pids];
  }

  private removeCgroups(): string[] {
    const left: string[] = [];
    const rm = (dir: string) => {
      if (!existsSync(dir)) return;
      for (const e of readdirSync(dir)) if (statSync(path.join(dir, e)).isDirectory()) rm(path.join(dir, e));
      try {
        rmdirSync(dir);
      } catch {
        left.push(dir);
      }
    };
    for (const mount of cgroupMounts()) rm(path.join(mount, this.layout.cgroupRoot));
    // The parents this run had to create, deepest first.
    for (const dir of [...this.createdCgroups].reverse()) {
      if (!existsSync(dir)) continue;
      try {
        rmdirSync(dir);
      } catch {
        left.push(dir);
      }
    }
    return left;
  }

  async down(log: (line: string) => void): Promise<void> {
    const kill = (pid: number, signal: NodeJS.Signals) => {
      try {
        process.kill(pid, signal);
      } catch {
        // gone already
      }
    };
    // The node's own daemons first (kubelet would restart what we kill), then
    // everything in its cgroups, then the control plane and the holder.
    for (const name of ['kube-router', 'kube-proxy', 'kubelet', 'kube-scheduler', 'kube-controller-manager']) {
      const pid = this.daemons.get(name);
      if (pid) kill(pid, 'SIGTERM');
    }
    await sleep(1000);
    for (let round = 0; round < 20; round++) {
      const pids = this.cgroupPids();
      if (!pids.length) break;
      for (const pid of pids) kill(pid, 'SIGKILL');
      await sleep(250);
    }
    for (const [, pid] of this.daemons) kill(pid, 'SIGKILL');
    if (this.holder) kill(this.holder, 'SIGKILL');
    await sleep(500);
    // Anything still in the network namespace (nothing should be) goes too.
    try {
      for (const pid of run('ip', ['netns', 'pids', this.layout.netns]).split('\n').filter(Boolean)) kill(Number(pid), 'SIGKILL');
    } catch {
      // no namespace
    }
    await sleep(300);
    const left = this.removeCgroups();
    if (left.length) log(`node: cgroups still busy: ${left.join(', ')}`);
    try {
      run('ip', ['netns', 'del', this.layout.netns]);
    } catch {
      // never created
    }
    for (const dir of [...this.createdDirs].reverse()) {
      try {
        rmdirSync(dir);
      } catch {
        log(`node: could not remove ${dir}`);
      }
    }
    if (!this.netnsDirExisted && existsSync('/run/netns') && readdirSync('/run/netns').length === 0) {
      try {
        run('umount', ['/run/netns']);
      } catch {
        // not a mount point
      }
      rmdirSync('/run/netns');
    }
    rmSync(this.layout.dir, { recursive: true, force: true });
  }
}
