// What a test run must leave as it found it on the host: the kernel-wide
// sysctls, routes, rules, links, firewall, cgroups and mounts. A snapshot
// before the run and one after must be equal (make test-images, make
// test-cluster).
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';

const SYSCTLS = [
  'vm/overcommit_memory',
  'vm/panic_on_oom',
  'kernel/panic',
  'kernel/panic_on_oops',
  'kernel/keys/root_maxkeys',
  'kernel/keys/root_maxbytes',
  'net/ipv4/ip_forward',
  'net/ipv4/conf/all/route_localnet',
  'net/bridge/bridge-nf-call-iptables',
  'net/netfilter/nf_conntrack_max',
];

function out(cmd: string, args: string[]): string {
  try {
    return execFileSync(cmd, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
  } catch {
    return `(${cmd} ${args.join(' ')} failed)`;
  }
}

/** Mount points of the cgroup hierarchies (v1 controllers and the unified one). */
export function cgroupMounts(): string[] {
  return readFileSync('/proc/self/mountinfo', 'utf8')
    .split('\n')
    .filter((l) => / - cgroup2? /.test(l))
    .map((l) => l.split(' ')[4]!);
}

function cgroupTree(parent: string): string[] {
  const found: string[] = [];
  for (const mount of cgroupMounts()) {
    const dir = path.join(mount, parent);
    if (!existsSync(dir)) continue;
    for (const e of readdirSync(dir)) if (statSync(path.join(dir, e)).isDirectory()) found.push(path.join(dir, e));
  }
  return found.sort();
}

export interface HostSnapshot {
  sysctls: Record<string, string>;
  routes: string;
  rules: string;
  links: string[];
  iptables: string;
  nft: string;
  cgroups: string[];
  mounts: string[];
}

export function snapshot(cgroupParent: string): HostSnapshot {
  const sysctls: Record<string, string> = {};
  for (const s of SYSCTLS) {
    try {
      sysctls[s] = readFileSync(`/proc/sys/${s}`, 'utf8').trim();
    } catch {
      sysctls[s] = '(absent)';
    }
  }
  return {
    sysctls,
    routes: out('ip', ['route', 'show', 'table', 'all']),
    rules: out('ip', ['rule']),
    links: out('ip', ['-o', 'link'])
      .split('\n')
      .map((l) => l.split(':')[1]?.trim() ?? '')
      .filter(Boolean)
      .sort(),
    // Counters change on their own; the rules must not.
    iptables: out('iptables-save', [])
      .split('\n')
      .filter((l) => !l.startsWith('#'))
      .map((l) => l.replace(/\[\d+:\d+\]/g, ''))
      .join('\n'),
    nft: out('nft', ['list', 'ruleset']),
    cgroups: cgroupTree(cgroupParent),
    // podman keeps its storage mounted once it has used it: podman's own business, not a test's.
    mounts: readFileSync('/proc/self/mountinfo', 'utf8')
      .split('\n')
      .map((l) => l.split(' ')[4] ?? '')
      .filter((m) => m && !m.startsWith('/var/lib/containers/storage'))
      .sort(),
  };
}

/** The network namespace (and cgroup) name of a cluster-tier node: otel-shop-<8 hex>. */
const NODE_NAME = /otel-shop-([0-9a-f]{8})(?![0-9a-f-])/;

/**
 * What changed, one line each; empty when nothing did. A cluster-tier node
 * of another run of ours (its namespace, its cgroups) that started or was
 * torn down meanwhile is not this run's doing and is left out; `ownNode`
 * names this run's own node, which is always counted.
 */
export function differences(before: HostSnapshot, after: HostSnapshot, ownNode?: string): string[] {
  const foreign = (entry: string): boolean => {
    const m = NODE_NAME.exec(entry);
    return m !== null && m[0] !== ownNode;
  };
  const diffs: string[] = [];
  for (const [k, v] of Object.entries(before.sysctls)) if (after.sysctls[k] !== v) diffs.push(`sysctl ${k}: ${v} -> ${after.sysctls[k]}`);
  for (const key of ['routes', 'rules', 'iptables', 'nft'] as const) if (before[key] !== after[key]) diffs.push(`${key} changed`);
  for (const key of ['links', 'cgroups', 'mounts'] as const) {
    const added = after[key].filter((x) => !before[key].includes(x) && !foreign(x));
    const removed = before[key].filter((x) => !after[key].includes(x) && !foreign(x));
    if (added.length || removed.length) diffs.push(`${key}: +[${added.join(', ')}] -[${removed.join(', ')}]`);
  }
  return diffs;
}
