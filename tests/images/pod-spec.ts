// A pod template of the generated manifests, as podman runs it: the user and
// groups, the read-only root with exactly the manifest's writable mounts,
// capabilities, no privilege escalation, seccomp, the memory and CPU limits,
// the environment (ConfigMaps, Secrets, the downward API, `$(VAR)`
// expansion, as the kubelet resolves them), the init containers and the
// probes. Only addresses change: every cluster DNS name is this host's
// loopback, where each local server listens on the port its Service has.
// Pure: nothing here runs a command.

export type Obj = Record<string, any>;

export interface Probe {
  path: string;
  port: number;
  periodSeconds: number;
  failureThreshold: number;
}

export interface ContainerRun {
  /** The podman container's name. */
  name: string;
  image: string;
  /** uid:gid. */
  user: string;
  groupAdd: string[];
  readOnlyRoot: boolean;
  /** The manifest's writable mounts (emptyDirs): path and size limit. */
  writable: { path: string; sizeBytes?: number }[];
  capDrop: string[];
  capAdd: string[];
  noNewPrivileges: boolean;
  seccomp: 'RuntimeDefault' | 'Unconfined' | 'Localhost';
  memoryBytes?: number;
  cpus?: number;
  env: [string, string][];
  /** Kubernetes `command` (replaces the image's entrypoint) and `args` (its CMD). */
  command?: string[];
  args?: string[];
  readiness?: Probe;
  liveness?: Probe;
  /** How long the kubelet gives the container to start before liveness counts: the startup probe's window. */
  startupSeconds: number;
}

export interface PodRun {
  service: string;
  init: ContainerRun[];
  main: ContainerRun;
}

export interface LocalContext {
  /** What the downward API answers. */
  nodeIp: string;
  nodeName: string;
  podUid: string;
  /** Prefix of the podman container names. */
  namePrefix: string;
}

const UNITS: Record<string, number> = { Ki: 2 ** 10, Mi: 2 ** 20, Gi: 2 ** 30, k: 1e3, M: 1e6, G: 1e9 };

export function bytes(q: string | number): number {
  const m = /^(\d+(?:\.\d+)?)(Ki|Mi|Gi|k|M|G)?$/.exec(String(q));
  if (!m) throw new Error(`not a memory quantity: ${q}`);
  return Number(m[1]) * (m[2] ? UNITS[m[2]]! : 1);
}

export function cpus(q: string | number): number {
  const s = String(q);
  return s.endsWith('m') ? Number(s.slice(0, -1)) / 1000 : Number(s);
}

/** `$(VAR)` expands to an earlier variable; `$$(VAR)` is a literal; unknown ones stay as written (the kubelet's rules). */
export function expand(value: string, defined: Map<string, string>): string {
  return value.replace(/\$\$|\$\(([A-Za-z_][A-Za-z0-9_]*)\)/g, (m, name: string | undefined) => {
    if (m === '$$') return '$';
    return defined.has(name!) ? defined.get(name!)! : m;
  });
}

/** Cluster addresses to this host's: `<svc>.<ns>.svc.cluster.local` and the all-interfaces bind become loopback. */
export function localAddress(value: string): string {
  return value.replace(/\b[a-z0-9]([a-z0-9-]*[a-z0-9])?\.[a-z0-9-]+\.svc\.cluster\.local\b/g, '127.0.0.1').replace(/^0\.0\.0\.0$/, '127.0.0.1');
}

function find(objects: Obj[], kind: string, namespace: string, name: string): Obj {
  const o = objects.find((x) => x.kind === kind && x.metadata.namespace === namespace && x.metadata.name === name);
  if (!o) throw new Error(`the manifests have no ${kind} ${namespace}/${name}`);
  return o;
}

function secretValue(secret: Obj, key: string): string {
  if (secret.stringData?.[key] !== undefined) return String(secret.stringData[key]);
  if (secret.data?.[key] !== undefined) return Buffer.from(String(secret.data[key]), 'base64').toString('utf8');
  throw new Error(`Secret ${secret.metadata.name} has no key ${key}`);
}

function fieldValue(path: string, pod: { name: string; namespace: string }, ctx: LocalContext): string {
  switch (path) {
    case 'metadata.name':
      return pod.name;
    case 'metadata.namespace':
      return pod.namespace;
    case 'metadata.uid':
      return ctx.podUid;
    case 'spec.nodeName':
      return ctx.nodeName;
    case 'status.hostIP':
    case 'status.podIP':
      return ctx.nodeIp;
    default:
      throw new Error(`no local value for the downward API field ${path}`);
  }
}

/** The environment as the kubelet builds it: envFrom first, then env in order, each value expanded against what came before. */
export function resolveEnv(container: Obj, objects: Obj[], pod: { name: string; namespace: string }, ctx: LocalContext): [string, string][] {
  const defined = new Map<string, string>();
  for (const from of container.envFrom ?? []) {
    if (from.configMapRef)
      for (const [k, v] of Object.entries(find(objects, 'ConfigMap', pod.namespace, from.configMapRef.name).data ?? {})) defined.set(k, String(v));
    if (from.secretRef) {
      const s = find(objects, 'Secret', pod.namespace, from.secretRef.name);
      for (const k of Object.keys({ ...s.data, ...s.stringData })) defined.set(k, secretValue(s, k));
    }
  }
  for (const e of container.env ?? []) {
    let value: string;
    if (e.value !== undefined) value = expand(String(e.value), defined);
    else if (e.valueFrom?.fieldRef) value = fieldValue(e.valueFrom.fieldRef.fieldPath, pod, ctx);
    else if (e.valueFrom?.secretKeyRef)
      value = secretValue(find(objects, 'Secret', pod.namespace, e.valueFrom.secretKeyRef.name), e.valueFrom.secretKeyRef.key);
    else if (e.valueFrom?.configMapKeyRef)
      value = String(find(objects, 'ConfigMap', pod.namespace, e.valueFrom.configMapKeyRef.name).data[e.valueFrom.configMapKeyRef.key]);
    else throw new Error(`env ${e.name}: a source this runner does not know`);
    defined.set(e.name, value);
  }
  return [...defined].map(([k, v]) => [k, localAddress(v)]);
}

function probeOf(p: Obj | undefined, ports: Obj[]): Probe | undefined {
  if (!p?.httpGet) return undefined;
  const port = typeof p.httpGet.port === 'number' ? p.httpGet.port : ports.find((x) => x.name === p.httpGet.port)?.containerPort;
  if (!port) throw new Error(`probe port ${p.httpGet.port} is not a port of the container`);
  return { path: p.httpGet.path, port, periodSeconds: p.periodSeconds ?? 10, failureThreshold: p.failureThreshold ?? 3 };
}

function containerRun(c: Obj, podSpec: Obj, name: string, env: [string, string][]): ContainerRun {
  const podSec = podSpec.securityContext ?? {};
  const sec = c.securityContext ?? {};
  const uid = sec.runAsUser ?? podSec.runAsUser;
  const gid = sec.runAsGroup ?? podSec.runAsGroup ?? uid;
  if (uid === undefined) throw new Error(`${name}: no runAsUser: the image's user would decide, which the manifest cannot vouch for`);
  const volumes = new Map<string, Obj>((podSpec.volumes ?? []).map((v: Obj) => [v.name, v]));
  const writable = (c.volumeMounts ?? []).map((m: Obj) => {
    const v = volumes.get(m.name);
    if (!v?.emptyDir) throw new Error(`${name}: volume ${m.name} is not an emptyDir (this runner maps only emptyDirs)`);
    return { path: m.mountPath, sizeBytes: v.emptyDir.sizeLimit ? bytes(v.emptyDir.sizeLimit) : undefined };
  });
  const ports: Obj[] = c.ports ?? [];
  const startup = probeOf(c.startupProbe, ports);
  return {
    name,
    image: c.image,
    user: `${uid}:${gid}`,
    groupAdd: podSec.fsGroup !== undefined ? [String(podSec.fsGroup)] : [],
    readOnlyRoot: sec.readOnlyRootFilesystem === true,
    writable,
    capDrop: sec.capabilities?.drop ?? [],
    capAdd: sec.capabilities?.add ?? [],
    noNewPrivileges: sec.allowPrivilegeEscalation === false,
    seccomp: (sec.seccompProfile ?? podSec.seccompProfile)?.type ?? 'Unconfined',
    memoryBytes: c.resources?.limits?.memory ? bytes(c.resources.limits.memory) : undefined,
    cpus: c.resources?.limits?.cpu ? cpus(c.resources.limits.cpu) : undefined,
    env,
    command: c.command,
    args: c.args,
    readiness: probeOf(c.readinessProbe, ports),
    liveness: probeOf(c.livenessProbe, ports),
    startupSeconds: startup ? startup.periodSeconds * startup.failureThreshold : 0,
  };
}

/** The pod of one of our Deployments, as containers to run on this host. */
export function podRun(objects: Obj[], namespace: string, deploymentName: string, ctx: LocalContext): PodRun {
  const d = find(objects, 'Deployment', namespace, deploymentName);
  const spec = d.spec.template.spec;
  const pod = { name: `${ctx.namePrefix}${deploymentName}`, namespace };
  const run = (c: Obj, suffix: string) => containerRun(c, spec, `${pod.name}${suffix}`, resolveEnv(c, objects, pod, ctx));
  const [main, ...sidecars] = spec.containers as Obj[];
  if (sidecars.length) throw new Error(`${deploymentName}: more than one container`);
  return { service: deploymentName, init: (spec.initContainers ?? []).map((c: Obj) => run(c, `-${c.name}`)), main: run(main!, '') };
}

/** `podman run` arguments for one container: host network (it creates nothing), detached, labelled for the teardown. */
export function podmanRunArgs(c: ContainerRun, label: string, envFile: string): string[] {
  const args = ['run', '--detach', '--name', c.name, '--label', label, '--network', 'host', '--user', c.user];
  for (const g of c.groupAdd) args.push('--group-add', g);
  if (c.readOnlyRoot) args.push('--read-only', '--read-only-tmpfs=false');
  for (const w of c.writable) args.push('--mount', `type=tmpfs,destination=${w.path},tmpfs-mode=1777${w.sizeBytes ? `,tmpfs-size=${w.sizeBytes}` : ''}`);
  for (const cap of c.capDrop) args.push('--cap-drop', cap);
  for (const cap of c.capAdd) args.push('--cap-add', cap);
  if (c.noNewPrivileges) args.push('--security-opt', 'no-new-privileges');
  // podman's default seccomp profile is the runtime default Kubernetes means.
  if (c.seccomp === 'Unconfined') args.push('--security-opt', 'seccomp=unconfined');
  if (c.memoryBytes) args.push('--memory', String(c.memoryBytes), '--memory-swap', String(c.memoryBytes));
  if (c.cpus) args.push('--cpus', String(c.cpus));
  args.push('--env-file', envFile);
  if (c.command) args.push('--entrypoint', JSON.stringify(c.command));
  args.push(c.image, ...(c.args ?? []));
  return args;
}
