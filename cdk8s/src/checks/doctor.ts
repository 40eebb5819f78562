// `make doctor`: what `make cluster` and `make dev` need from the machine,
// judged from what was found (the probe is doctor-probe.ts). Each
// problem is one line with its fix; nothing here runs a command.
import { KIND_NODE_IMAGE } from '../model/images.ts';
import { SERVICES } from '../model/topology.ts';

export interface DockerInfo {
  /** Bytes of memory the engine (Docker Desktop's VM, or the host) has. */
  memTotal: number;
  cpus: number;
}

export interface Probe {
  /** `undefined`: not on PATH. Otherwise the version text the tool printed. */
  versions: Record<RequiredTool, string | undefined>;
  /** `undefined` when `docker info` fails: no engine answers. */
  docker: DockerInfo | undefined;
  /** The kind cluster of kind-config.yaml exists already (its NodePorts are then its own). */
  clusterExists: boolean;
  /** Local ports someone else listens on. */
  portsTaken: number[];
}

export type RequiredTool = 'docker' | 'kind' | 'kubectl' | 'skaffold' | 'helm';

export interface Need {
  /** Memory the Docker engine must have: the stack's limits plus kind's own node. */
  memoryBytes: number;
  cpus: number;
  /** Ports `make dev` forwards to (skaffold.yaml portForward). */
  forwardedPorts: number[];
  /** Ports `make cluster` maps on 127.0.0.1 (kind-config.yaml). */
  nodePorts: number[];
}

/** What each target needs checked. */
export const SCOPES = {
  cluster: { tools: ['docker', 'kind', 'kubectl'], forwards: false },
  dev: { tools: ['docker', 'kind', 'kubectl', 'skaffold', 'helm'], forwards: true },
  down: { tools: ['kind'], forwards: false },
} as const satisfies Record<string, { tools: RequiredTool[]; forwards: boolean }>;
export type Scope = keyof typeof SCOPES;

export interface Finding {
  ok: boolean;
  /** A problem that does not stop `make dev` (skaffold picks another port). */
  warning?: boolean;
  what: string;
  text: string;
}

/** The oldest release of each tool that works with this repository, and why. */
export const MINIMUM: Record<Exclude<RequiredTool, 'docker'>, { version: string; why: string; install: string }> = {
  kind: {
    version: KIND_NODE_IMAGE.kindVersion,
    why: `kind-config.yaml's node image (${KIND_NODE_IMAGE.repository}:${KIND_NODE_IMAGE.tag}) is the one this kind was released with`,
    install: "'go install sigs.k8s.io/kind@v0.33.0', 'brew install kind', or https://kind.sigs.k8s.io/docs/user/quick-start/#installation",
  },
  kubectl: {
    version: '1.36.0',
    why: 'within one minor version of the Kubernetes 1.37 node kind-config.yaml pins',
    install: "'brew install kubectl' or https://kubernetes.io/docs/tasks/tools/",
  },
  // skaffold's own version mapping (docs-v2/content/en/schemas/version-mappings) names the first release that reads v4beta14.
  skaffold: {
    version: '2.19.0',
    why: 'the first to read skaffold/v4beta14, the format of skaffold.yaml',
    install: "'brew install skaffold' or https://skaffold.dev/docs/install/",
  },
  helm: {
    version: '3.8.0',
    why: "OCI charts, as the Strimzi operator's; Helm 4 too (skaffold 2.19 drives both)",
    install: "'brew install helm', https://helm.sh/docs/intro/install/, or 'bash scripts/tools/helm.sh' (builds it with Go into the cache)",
  },
};

/** The first x.y.z in a tool's version text, as numbers. */
export function parseVersion(text: string): [number, number, number] | undefined {
  const m = /v?(\d+)\.(\d+)(?:\.(\d+))?/.exec(text);
  return m ? [Number(m[1]), Number(m[2]), Number(m[3] ?? 0)] : undefined;
}

export function atLeast(found: [number, number, number], wanted: [number, number, number]): boolean {
  for (let i = 0; i < 3; i++) if (found[i] !== wanted[i]) return found[i]! > wanted[i]!;
  return true;
}

const gib = (bytes: number) => `${(bytes / 2 ** 30).toFixed(1)} GiB`;

export function diagnose(probe: Probe, need: Need, scope: Scope = 'dev'): Finding[] {
  const out: Finding[] = [];
  const tools: readonly RequiredTool[] = SCOPES[scope].tools;
  if (!tools.includes('docker')) {
    // Nothing to say about Docker for this target.
  } else if (probe.versions.docker === undefined) {
    out.push({ ok: false, what: 'docker', text: 'not found: install Docker Desktop or Docker Engine (https://docs.docker.com/get-docker/)' });
  } else if (!probe.docker) {
    out.push({
      ok: false,
      what: 'docker',
      text: "the docker CLI is here but no Docker engine answers ('docker info' fails): start Docker Desktop or the docker service (sudo systemctl start docker)",
    });
  } else {
    const { memTotal, cpus } = probe.docker;
    out.push(
      memTotal < need.memoryBytes
        ? {
            ok: false,
            what: 'memory',
            text: `Docker has ${gib(memTotal)}; the stack's memory limits plus kind's node need ${gib(need.memoryBytes)}: give Docker more (Docker Desktop > Settings > Resources > Memory), then make down && make cluster`,
          }
        : { ok: true, what: 'memory', text: `Docker has ${gib(memTotal)} (the stack's limits plus kind need ${gib(need.memoryBytes)})` },
    );
    out.push(
      cpus < need.cpus
        ? {
            ok: false,
            what: 'cpus',
            text: `Docker has ${cpus} CPU(s); the stack and kind request about ${need.cpus}: give Docker more CPUs (Docker Desktop > Settings > Resources)`,
          }
        : { ok: true, what: 'cpus', text: `Docker has ${cpus} CPUs (about ${need.cpus} requested)` },
    );
  }
  for (const tool of (Object.keys(MINIMUM) as (keyof typeof MINIMUM)[]).filter((t) => tools.includes(t))) {
    const min = MINIMUM[tool];
    const text = probe.versions[tool];
    const found = text === undefined ? undefined : parseVersion(text);
    if (text === undefined) out.push({ ok: false, what: tool, text: `not found: ${min.install}` });
    else if (!found)
      out.push({ ok: false, what: tool, text: `cannot read its version from '${text.trim()}': install ${min.version} or newer (${min.install})` });
    else if (!atLeast(found, parseVersion(min.version)!)) {
      out.push({ ok: false, what: tool, text: `${found.join('.')} is too old: need ${min.version} or newer (${min.why}); ${min.install}` });
    } else out.push({ ok: true, what: tool, text: `${found.join('.')} (>= ${min.version})` });
  }
  const forwarded = SCOPES[scope].forwards ? need.forwardedPorts : [];
  const watched = [...forwarded, ...(probe.clusterExists || scope === 'down' ? [] : need.nodePorts)];
  for (const port of watched.filter((p) => probe.portsTaken.includes(p))) {
    const isForward = forwarded.includes(port);
    out.push({
      ok: false,
      warning: isForward,
      what: `port ${port}`,
      text: isForward
        ? `127.0.0.1:${port} is taken (${portOwner(port)}): make dev forwards it; free it (ss -ltnp 'sport = :${port}') or skaffold forwards to the next free port and prints it`
        : `127.0.0.1:${port} is taken: make cluster maps this NodePort there (kind-config.yaml); free it (ss -ltnp 'sport = :${port}')`,
    });
  }
  if (watched.length && !watched.some((p) => probe.portsTaken.includes(p))) out.push({ ok: true, what: 'ports', text: `free: ${watched.join(', ')}` });
  return out;
}

function portOwner(port: number): string {
  const service = Object.entries(SERVICES).find(([, s]) => s.port === port);
  return service ? `make local's ${service[0]}?` : 'another program';
}

export function formatFindings(findings: Finding[], scope: Scope = 'dev'): string {
  const width = Math.max(...findings.map((f) => f.what.length));
  const mark = (f: Finding) => (f.ok ? 'ok  ' : f.warning ? 'warn' : 'FAIL');
  const lines = findings.map((f) => `${mark(f)}  ${f.what.padEnd(width)}  ${f.text}`);
  const failed = findings.filter((f) => !f.ok && !f.warning).length;
  const next = scope === 'dev' ? 'make cluster && make dev' : `make ${scope}`;
  lines.push(failed ? `${failed} problem(s) to fix before ${next}` : `ready for ${next}`);
  return `${lines.join('\n')}\n`;
}
