// `make bench-cpu`: where the machine's CPU goes per order. For each
// telemetry configuration (BENCH_CPU_CONFIGS, default off and 0.1) the stack
// is restarted with the bench's env and driven at the bench's concurrency;
// the CPU seconds each process (and its children) used in the measuring
// window are divided by the orders completed in it. Less sensitive to a
// shared machine's speed than orders/s, and it names the process that pays.
// Writes proof/bench/results/cpu-latest.{json,md}.
import { readFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describeLoad, machineLoad } from '../../chaos/src/machine.ts';
import { REPO_ROOT, STATE_DIR } from '../../chaos/src/stack/paths.ts';
import { INFRA, SERVICES, livePid } from '../../chaos/src/stack/processes.ts';
import { sendBenchOrder } from './bench-orders.ts';
import { restartBenchStack, restoreDefaultStack, startBenchStack } from './bench-stack.ts';
import { runClosedLoop } from './closed-loop.ts';
import { selectConfigs } from './configs.ts';
import { perOrderMs, readAllStats, treeCpuSeconds } from './cpu-accounting.ts';

const env = process.env;
const CONCURRENCY = Number(env.BENCH_CONCURRENCY ?? 16);
const MEASURE_MS = 1000 * Number(env.BENCH_SECONDS ?? 20);
const WARMUP_MS = 1000 * Number(env.BENCH_WARMUP_SECONDS ?? 10);
const log = (line: string) => process.stdout.write(`${line}\n`);

function jaegerPid(): number | undefined {
  try {
    return Number(readFileSync(join(STATE_DIR, 'jaeger', 'jaeger.pid'), 'utf8').trim()) || undefined;
  } catch {
    return undefined;
  }
}

/** CPU seconds so far of every process of the stack, and of this load generator. */
function sample(): Record<string, number> {
  const roots: Record<string, number | undefined> = {};
  for (const target of [...SERVICES, ...INFRA]) roots[target] = livePid(target);
  roots.jaeger = jaegerPid();
  const seconds = treeCpuSeconds(readAllStats(), roots);
  const own = process.cpuUsage();
  return { ...seconds, 'load generator': (own.user + own.system) / 1e6 };
}

interface ConfigCpu {
  config: string;
  ordersPerSecond: number;
  orders: number;
  windowSeconds: number;
  processes: { name: string; seconds: number; msPerOrder: number }[];
  machineBusySeconds: number;
}

function machineBusySeconds(): number {
  const [, user, nice, system, , , irq, softirq, steal] = readFileSync('/proc/stat', 'utf8').split('\n')[0]!.split(/\s+/).map(Number);
  return (user! + nice! + system! + irq! + softirq! + steal!) / 100;
}

async function main(): Promise<number> {
  const configs = selectConfigs(env.BENCH_CPU_CONFIGS ?? 'off,0.1');
  const before = machineLoad();
  log(`bench-cpu: ${configs.map((c) => c.name).join(', ')} at concurrency ${CONCURRENCY}, ${MEASURE_MS / 1000} s each; ${describeLoad(before)}`);
  const results: ConfigCpu[] = [];
  let failure: string | undefined;
  try {
    await startBenchStack();
    for (const config of configs) {
      log(`== telemetry ${config.name}`);
      await restartBenchStack(config.env);
      await runClosedLoop({ concurrency: CONCURRENCY, warmupMs: 0, measureMs: WARMUP_MS }, sendBenchOrder);
      const start = sample();
      const busyStart = machineBusySeconds();
      const run = await runClosedLoop({ concurrency: CONCURRENCY, warmupMs: 0, measureMs: MEASURE_MS }, sendBenchOrder);
      const processes = perOrderMs(start, sample(), run.succeeded);
      results.push({ config: config.name, ordersPerSecond: run.throughput, orders: run.succeeded, windowSeconds: run.windowMs / 1000, processes, machineBusySeconds: machineBusySeconds() - busyStart });
      log(`   ${run.throughput.toFixed(1)} orders/s; ${processes.map((p) => `${p.name} ${p.msPerOrder.toFixed(2)}`).join(', ')} ms/order`);
    }
  } catch (err) {
    failure = (err as Error).message;
    log(`bench-cpu error: ${failure}`);
  } finally {
    const run = await restoreDefaultStack();
    if (run.exitCode !== 0) failure ??= `restore failed: ${run.tail}`;
  }
  const names = results[0]?.processes.map((p) => p.name) ?? [];
  const cell = (r: ConfigCpu, name: string) => r.processes.find((p) => p.name === name)?.msPerOrder.toFixed(2) ?? 'n/a';
  const total = (r: ConfigCpu) => r.processes.reduce((sum, p) => sum + p.msPerOrder, 0);
  const md = [
    `CPU per order ${new Date().toISOString()}: concurrency ${CONCURRENCY}, ${WARMUP_MS / 1000} s warm-up then ${MEASURE_MS / 1000} s, stack env as \`make bench\`. ` +
      `CPU ms of each process (with its children) per order completed in the window. Machine: before ${describeLoad(before)}.`,
    '',
    `| process | ${results.map((r) => `telemetry ${r.config}`).join(' | ')} |`,
    `| --- | ${results.map(() => '---:').join(' | ')} |`,
    ...names.map((name) => `| ${name} | ${results.map((r) => cell(r, name)).join(' | ')} |`),
    `| **all of the above** | ${results.map((r) => `**${total(r).toFixed(2)}**`).join(' | ')} |`,
    `| orders/s | ${results.map((r) => r.ordersPerSecond.toFixed(1)).join(' | ')} |`,
    `| machine busy (s of ${results.length ? (2 * MEASURE_MS) / 1000 : 0} core-s) | ${results.map((r) => r.machineBusySeconds.toFixed(1)).join(' | ')} |`,
    ...(failure ? ['', `**Failed:** ${failure}`] : []),
  ].join('\n');
  const dir = join(REPO_ROOT, 'proof', 'bench', 'results');
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'cpu-latest.md'), `# CPU per order\n\n${md}\n`);
  writeFileSync(join(dir, 'cpu-latest.json'), `${JSON.stringify({ concurrency: CONCURRENCY, results, failure: failure ?? null }, null, 2)}\n`);
  log(md);
  return failure ? 1 : 0;
}

process.exitCode = await main();
