// Samples of where the machine's CPU went, for the drivers that divide it by
// the orders of a window (`make bench-cpu`, `make bench-flags`): the CPU
// seconds so far of every process of the stack (each with its children;
// Jaeger and flagd too) and
// of this load generator, and the busy seconds of the whole machine.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { STATE_DIR } from '../../stack/paths.ts';
import { INFRA, SERVICES, livePid } from '../../stack/processes.ts';
import { readAllStats, treeCpuSeconds } from './cpu-accounting.ts';

/** The pid in STATE_DIR/<name>/<name>.pid (Jaeger's, flagd's), if any. */
function infraPid(name: string): number | undefined {
  try {
    return Number(readFileSync(join(STATE_DIR, name, `${name}.pid`), 'utf8').trim()) || undefined;
  } catch {
    return undefined;
  }
}

/** The pid of each process of the stack (services, PostgreSQL, Redis, Kafka, Jaeger, flagd) that runs. */
export function stackPids(): Record<string, number | undefined> {
  const roots: Record<string, number | undefined> = {};
  for (const target of [...SERVICES, ...INFRA]) roots[target] = livePid(target);
  roots.jaeger = infraPid('jaeger');
  roots.flagd = infraPid('flagd');
  return roots;
}

/** CPU seconds so far of every process of the stack, and of this load generator. */
export function sampleStackCpu(): Record<string, number> {
  const seconds = treeCpuSeconds(readAllStats(), stackPids());
  const own = process.cpuUsage();
  return { ...seconds, 'load generator': (own.user + own.system) / 1e6 };
}

/** Seconds the machine's cores were busy so far (all of them, everyone's processes), from /proc/stat. */
export function machineBusySeconds(): number {
  const [, user, nice, system, , , irq, softirq, steal] = readFileSync('/proc/stat', 'utf8').split('\n')[0]!.split(/\s+/).map(Number);
  return (user! + nice! + system! + irq! + softirq! + steal!) / 100;
}

/** The five services' own CPU per order: what the speed targets are stated in. */
export function servicesMsPerOrder(result: { processes: { name: string; msPerOrder: number }[] }): number {
  return result.processes.filter((p) => (SERVICES as readonly string[]).includes(p.name)).reduce((sum, p) => sum + p.msPerOrder, 0);
}

/** One configuration's CPU per order, over one round or several pooled. */
export interface ConfigCpu {
  config: string;
  ordersPerSecond: number;
  orders: number;
  windowSeconds: number;
  processes: { name: string; seconds: number; msPerOrder: number }[];
  machineBusySeconds: number;
  /** Starts a fixed-rate load could not send (fixed-rate.ts); 0 for a closed loop. */
  shed?: number;
  rounds: number;
}

/** Rounds of one configuration as one: CPU seconds and orders summed, so ms/order weighs each round by its orders. */
export function poolCpuRounds(config: string, rounds: Omit<ConfigCpu, 'rounds'>[]): ConfigCpu {
  const orders = rounds.reduce((n, r) => n + r.orders, 0);
  const windowSeconds = rounds.reduce((n, r) => n + r.windowSeconds, 0);
  const seconds = new Map<string, number>();
  for (const r of rounds) for (const p of r.processes) seconds.set(p.name, (seconds.get(p.name) ?? 0) + p.seconds);
  const processes = [...seconds]
    .map(([name, sec]) => ({ name, seconds: sec, msPerOrder: orders > 0 ? (sec / orders) * 1000 : Number.NaN }))
    .sort((a, b) => b.seconds - a.seconds);
  return {
    config,
    ordersPerSecond: windowSeconds > 0 ? orders / windowSeconds : Number.NaN,
    orders,
    windowSeconds,
    processes,
    machineBusySeconds: rounds.reduce((n, r) => n + r.machineBusySeconds, 0),
    shed: rounds.reduce((n, r) => n + (r.shed ?? 0), 0),
    rounds: rounds.length,
  };
}
