// `make bench-sweep`: orders/s and latency at several concurrencies on one
// stack (telemetry off unless BENCH_SWEEP_CONFIG says otherwise), to show
// where throughput stops growing and only latency does: the evidence behind
// the bench's concurrency. One restart, one warm-up, then each concurrency
// back to back. Writes proof/bench/results/sweep-latest.{json,md}.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { summarizeLatencies } from '@shop/load';
import { describeLoad, machineLoad } from '../../stack/machine.ts';
import { REPO_ROOT } from '../../stack/paths.ts';
import { sendBenchOrder } from './bench-orders.ts';
import { restartBenchStack, restoreDefaultStack, startBenchStack } from './bench-stack.ts';
import { runClosedLoop } from './closed-loop.ts';
import { selectConfigs } from './configs.ts';

const env = process.env;
const LEVELS = (env.BENCH_SWEEP ?? '1,2,4,8,16,32').split(',').map(Number);
const MEASURE_MS = 1000 * Number(env.BENCH_SECONDS ?? 15);
const WARMUP_MS = 1000 * Number(env.BENCH_WARMUP_SECONDS ?? 10);
const log = (line: string) => process.stdout.write(`${line}\n`);

async function main(): Promise<number> {
  const [config] = selectConfigs(env.BENCH_SWEEP_CONFIG ?? 'off');
  const before = machineLoad();
  log(`bench-sweep: telemetry ${config!.name}, concurrency ${LEVELS.join(', ')}, ${MEASURE_MS / 1000} s each; ${describeLoad(before)}`);
  const rows: { concurrency: number; ordersPerSecond: number; p50: number; p99: number; errors: number; loadavg1m: number }[] = [];
  let failure: string | undefined;
  try {
    await startBenchStack();
    await restartBenchStack(config!.env);
    // One warm-up for all levels, at the middle one.
    await runClosedLoop({ concurrency: 16, warmupMs: 0, measureMs: WARMUP_MS }, sendBenchOrder);
    for (const concurrency of LEVELS) {
      const run = await runClosedLoop({ concurrency, warmupMs: 2000, measureMs: MEASURE_MS }, sendBenchOrder);
      const l = summarizeLatencies(run.latenciesMs);
      rows.push({
        concurrency,
        ordersPerSecond: run.throughput,
        p50: l.p50,
        p99: l.p99,
        errors: run.completed - run.succeeded,
        loadavg1m: machineLoad().loadavg1m,
      });
      log(`   concurrency ${concurrency}: ${run.throughput.toFixed(1)} orders/s, p50 ${l.p50.toFixed(1)} ms, p99 ${l.p99.toFixed(1)} ms`);
    }
  } catch (err) {
    failure = (err as Error).message;
    log(`sweep error: ${failure}`);
  } finally {
    const run = await restoreDefaultStack();
    if (run.exitCode !== 0) failure ??= `restore failed: ${run.tail}`;
  }
  const md = [
    `Concurrency sweep ${new Date().toISOString()}, telemetry ${config!.name}, stack env as \`make bench\`, ${MEASURE_MS / 1000} s per level after a ${WARMUP_MS / 1000} s warm-up (2 s settle between levels). Machine: before ${describeLoad(before)}.`,
    '',
    '| concurrency | orders/s | p50 | p99 | errors | load avg (1 min) after |',
    '| ---: | ---: | ---: | ---: | ---: | ---: |',
    ...rows.map(
      (r) => `| ${r.concurrency} | ${r.ordersPerSecond.toFixed(1)} | ${r.p50.toFixed(1)} ms | ${r.p99.toFixed(1)} ms | ${r.errors} | ${r.loadavg1m} |`,
    ),
    ...(failure ? ['', `**Failed:** ${failure}`] : []),
  ].join('\n');
  const dir = join(REPO_ROOT, 'proof', 'bench', 'results');
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'sweep-latest.md'), `# Bench concurrency sweep\n\n${md}\n`);
  writeFileSync(join(dir, 'sweep-latest.json'), `${JSON.stringify({ config: config!.name, rows, failure: failure ?? null }, null, 2)}\n`);
  log(md);
  return failure ? 1 : 0;
}

process.exitCode = await main();
