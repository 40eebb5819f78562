// What `make doctor` finds on this machine (the judgement is doctor.ts):
// the tools and their versions, the Docker engine's memory and CPUs,
// whether the kind cluster exists, which of the ports the stack needs are
// taken; and what the stack needs (its budget, skaffold.yaml's forwards,
// the NodePorts). Everything here runs commands or opens sockets.
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { buildApp, manifests } from '../app.ts';
import { ROOT } from '../model/paths.ts';
import { NODE_PORTS } from '../model/topology.ts';
import { KIND_OVERHEAD, budget, totals } from './budget.ts';
import type { DockerInfo, Need, Probe, RequiredTool } from './doctor.ts';

function output(cmd: string, args: string[]): string | undefined {
  try {
    return execFileSync(cmd, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: 20_000 });
  } catch (err) {
    const e = err as { code?: string; stdout?: string };
    // Found but failing (a kubectl without a cluster still prints its client version).
    return e.code === 'ENOENT' ? undefined : (e.stdout ?? '');
  }
}

function cachedHelm(): string | undefined {
  const lib = readFileSync(join(ROOT, 'scripts', 'lib.sh'), 'utf8');
  const version = /^HELM_VERSION=(\S+)/m.exec(lib)?.[1];
  const cache = process.env.SHOP_CACHE_DIR ?? join(process.env.XDG_CACHE_HOME ?? join(homedir(), '.cache'), 'otel-shop');
  const bin = join(cache, `helm-${version}`, 'helm');
  return existsSync(bin) ? bin : undefined;
}

function versions(): Record<RequiredTool, string | undefined> {
  return {
    docker: output('docker', ['--version']),
    kind: output('kind', ['version']),
    kubectl: output('kubectl', ['version', '--client']),
    skaffold: output('skaffold', ['version']),
    helm: output('helm', ['version', '--short']) ?? (cachedHelm() && output(cachedHelm()!, ['version', '--short'])),
  };
}

function dockerInfo(): DockerInfo | undefined {
  try {
    const text = execFileSync('docker', ['info', '--format', '{{.MemTotal}} {{.NCPU}}'], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
      timeout: 20_000,
    });
    const [mem, cpus] = text.trim().split(/\s+/).map(Number);
    return Number.isFinite(mem) && Number.isFinite(cpus) ? { memTotal: mem!, cpus: cpus! } : undefined;
  } catch {
    return undefined;
  }
}

function portTaken(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(true));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(false)));
  });
}

/** What the stack needs from the machine (dev values, one kind node). */
export function need(): Need {
  const t = totals(budget(manifests(buildApp({ root: ROOT }))));
  // biome-ignore lint/suspicious/noExplicitAny: skaffold.yaml, checked against skaffold's own schema by skaffold.test.ts
  const skaffold = parseAllDocuments(readFileSync(join(ROOT, 'skaffold.yaml'), 'utf8')).map((d) => d.toJSON() as Record<string, any>);
  const forwardedPorts = skaffold.flatMap((d) => (d.portForward ?? []).map((f: { localPort: number }) => f.localPort));
  return {
    memoryBytes: t.memoryLimitBytes + KIND_OVERHEAD.memoryBytes,
    cpus: Math.ceil((t.cpuMillis + KIND_OVERHEAD.cpuMillis) / 1000),
    forwardedPorts,
    nodePorts: Object.values(NODE_PORTS),
  };
}

/** What this machine has, for the needs of the stack; `cluster` is the kind cluster's name. */
export async function probe(wanted: Need, cluster: string): Promise<Probe> {
  const found = versions();
  const result: Probe = {
    versions: found,
    docker: found.docker === undefined ? undefined : dockerInfo(),
    clusterExists: (output('kind', ['get', 'clusters']) ?? '').split('\n').includes(cluster),
    portsTaken: [],
  };
  for (const port of [...wanted.forwardedPorts, ...wanted.nodePorts]) if (await portTaken(port)) result.portsTaken.push(port);
  return result;
}
