// `make doctor` (and the first step of `make cluster`, `make dev`, `make
// deploy`, `make down`): probes the machine for what the kind path needs and
// prints one line per check; exits 1 when something must be fixed first. The
// judgement is src/doctor.ts.
//
//   node cdk8s/scripts/doctor.ts [--for cluster|dev|down]   (default: dev, everything)
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { buildApp, manifests } from '../src/app.ts';
import { KIND_OVERHEAD, budget, totals } from '../src/budget.ts';
import { SCOPES, diagnose, formatFindings, type DockerInfo, type Need, type Probe, type RequiredTool, type Scope } from '../src/doctor.ts';
import { NODE_PORTS } from '../src/topology.ts';
import { ROOT } from './paths.ts';

const CLUSTER = process.env.K8S_CLUSTER ?? 'otel-shop';

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
    const text = execFileSync('docker', ['info', '--format', '{{.MemTotal}} {{.NCPU}}'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'], timeout: 20_000 });
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

function need(): Need {
  const t = totals(budget(manifests(buildApp({ root: ROOT }))));
  const skaffold = parseAllDocuments(readFileSync(join(ROOT, 'skaffold.yaml'), 'utf8')).map((d) => d.toJSON() as Record<string, any>);
  const forwardedPorts = skaffold.flatMap((d) => (d.portForward ?? []).map((f: { localPort: number }) => f.localPort));
  return {
    memoryBytes: t.memoryLimitBytes + KIND_OVERHEAD.memoryBytes,
    cpus: Math.ceil((t.cpuMillis + KIND_OVERHEAD.cpuMillis) / 1000),
    forwardedPorts,
    nodePorts: Object.values(NODE_PORTS),
  };
}

const i = process.argv.indexOf('--for');
const scope = (i > 0 ? process.argv[i + 1] : 'dev') as Scope;
if (!(scope in SCOPES)) {
  process.stderr.write(`doctor: --for must be one of ${Object.keys(SCOPES).join(', ')}\n`);
  process.exit(2);
}
const wanted = need();
const found = versions();
const probe: Probe = {
  versions: found,
  docker: found.docker === undefined ? undefined : dockerInfo(),
  clusterExists: (output('kind', ['get', 'clusters']) ?? '').split('\n').includes(CLUSTER),
  portsTaken: [],
};
for (const port of [...wanted.forwardedPorts, ...wanted.nodePorts]) if (await portTaken(port)) probe.portsTaken.push(port);

const findings = diagnose(probe, wanted, scope);
process.stdout.write(formatFindings(findings, scope));
process.exitCode = findings.some((f) => !f.ok && !f.warning) ? 1 : 0;
