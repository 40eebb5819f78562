// `make bench`: one command, one run, side by side, against `make local` on
// this machine. For each telemetry configuration (off, sampling 0.1, 1.0) the
// stack is restarted with it, warmed up, and driven at a fixed concurrency
// for a fixed time; then pgbench runs the same statements one order executes
// (checked against a real order's trace) at the same concurrency against the
// same PostgreSQL. Prints and writes bench/results/<time>.{json,md} and
// latest.{json,md}, copies the table into docs/proof.md, and restores the
// default stack. Run it under the stack lock (the make target takes it).
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { summarizeLatencies } from '../../cli/src/load/latency-stats.ts';
import { updateProofDoc } from '../../chaos/src/docs-section.ts';
import { describeLoad, machineLoad, type MachineLoad } from '../../chaos/src/machine.ts';
import { REPO_ROOT } from '../../chaos/src/stack/paths.ts';
import { runClosedLoop, type ClosedLoopResult } from './closed-loop.ts';
import { BENCH_PRICE_CENTS, BENCH_STOCK, benchGateway as gateway, sendBenchOrder } from './bench-orders.ts';
import { restartBenchStack, restoreDefaultStack, startBenchStack } from './bench-stack.ts';
import { BENCH_STACK_ENV, selectConfigs } from './configs.ts';
import { benchProductId, floorSpanNames, prepareFloorDatabase, runFloor, type FloorResult } from './floor.ts';
import { compareStatements, statementsOfOneOrder, type TracedStatement } from './order-trace.ts';
import { markdownTable, markdownTargets, poolRounds, ratios, readmeSection, targets, type ConfigResult } from './report.ts';

const env = process.env;
// 16 in flight. `make bench-sweep` shows throughput flat from 4 to 32 in
// flight on this 2-core machine (saturated from 4 on), so any level >= 4
// measures the same capacity; 16 keeps it saturated with margin against a
// shared machine's scheduling noise, so telemetry's cost shows up as lost
// throughput, and gives pgbench enough clients for PostgreSQL's group commit
// (a fair floor). Its price is queueing: p50 ~ 16 / throughput (Little's law).
const CONCURRENCY = Number(env.BENCH_CONCURRENCY ?? 16);
const MEASURE_MS = 1000 * Number(env.BENCH_SECONDS ?? 20);
// Rounds per configuration: one 20-30 s run on this shared 2-core machine
// varies by +-10 %, as much as the overhead being judged. The table shows
// the median round and the range.
const ROUNDS = Number(env.BENCH_ROUNDS ?? 3);
// Then the same stack at light load: what one order costs in latency when it
// does not queue behind 15 others on 2 cores (the p99 target's concurrency).
const LIGHT_CONCURRENCY = Number(env.BENCH_LIGHT_CONCURRENCY ?? 2);
const LIGHT_MS = 1000 * Number(env.BENCH_LIGHT_SECONDS ?? 10);
const WARMUP_MS = 1000 * Number(env.BENCH_WARMUP_SECONDS ?? 10);
const FLOOR_WARMUP_S = 5;
const RESULTS_DIR = join(REPO_ROOT, 'bench', 'results');
const README = join(REPO_ROOT, 'README.md');
const JAEGER_URL = env.SHOP_JAEGER_URL ?? 'http://127.0.0.1:16686';
const log = (line: string) => process.stdout.write(`${line}\n`);

async function main(): Promise<number> {
  const started = new Date();
  const configs = selectConfigs(env.BENCH_CONFIGS);
  const machine: { label: string; load: MachineLoad }[] = [{ label: 'before', load: machineLoad() }];
  log(`bench: ${configs.map((c) => c.name).join(', ')} at concurrency ${CONCURRENCY}, ${ROUNDS} interleaved rounds of ${WARMUP_MS / 1000} s warm-up + ${MEASURE_MS / 1000} s each; ${describeLoad(machine[0]!.load)}`);
  const results: ConfigResult[] = [];
  let floor: FloorResult | undefined;
  let traced: { traceId: string; statements: TracedStatement[] } | undefined;
  let traceError: string | undefined;
  let failure: string | undefined;
  let restored = false;
  try {
    log('== the stack, up with the current code (scripts/local.sh up)');
    await startBenchStack();

    // Rounds interleave the configurations (off, 0.1, 1.0, off, ...): a
    // slow spell of a shared machine then hits every configuration alike
    // instead of deciding the comparison.
    const rounds = new Map(configs.map((c) => [c.name, { main: [] as ClosedLoopResult[], light: [] as ClosedLoopResult[] }]));
    for (let round = 1; round <= ROUNDS; round++) {
      for (const config of configs) {
        log(`== round ${round}/${ROUNDS}, telemetry ${config.name}: restarting with ${Object.entries({ ...BENCH_STACK_ENV, ...config.env }).map(([k, v]) => `${k}=${v}`).join(' ')}`);
        await restartBenchStack(config.env);
        if (config.name !== 'off' && !traced) {
          try {
            traced = await statementsOfOneOrder(gateway, JAEGER_URL, benchProductId(1));
          } catch (err) {
            traceError = (err as Error).message;
          }
        }
        const collected = rounds.get(config.name)!;
        const run = await runClosedLoop({ concurrency: CONCURRENCY, warmupMs: WARMUP_MS, measureMs: MEASURE_MS }, sendBenchOrder);
        collected.main.push(run);
        const latency = summarizeLatencies(run.latenciesMs);
        log(`   ${run.throughput.toFixed(1)} orders/s, p50 ${latency.p50.toFixed(1)} ms, p99 ${latency.p99.toFixed(1)} ms, ${run.completed - run.succeeded} errors ${JSON.stringify(run.byStatus)}`);
        if (LIGHT_CONCURRENCY > 0) {
          const light = await runClosedLoop({ concurrency: LIGHT_CONCURRENCY, warmupMs: 3000, measureMs: LIGHT_MS }, sendBenchOrder);
          collected.light.push(light);
          const l = summarizeLatencies(light.latenciesMs);
          log(`   at concurrency ${LIGHT_CONCURRENCY}: ${light.throughput.toFixed(1)} orders/s, p50 ${l.p50.toFixed(1)} ms, p99 ${l.p99.toFixed(1)} ms`);
        }
        machine.push({ label: `after ${config.name} (round ${round})`, load: machineLoad() });
      }
    }
    for (const config of configs) {
      const collected = rounds.get(config.name)!;
      const result: ConfigResult = { name: config.name, env: { ...BENCH_STACK_ENV, ...config.env }, ...poolRounds(collected.main, summarizeLatencies) };
      if (collected.light.length) result.light = { concurrency: LIGHT_CONCURRENCY, ...poolRounds(collected.light, summarizeLatencies) };
      results.push(result);
    }

    log(`== database floor: pgbench, ${CONCURRENCY} clients, bench/src/floor.sql in a fresh ${'bench_floor'} database`);
    // The stack idles (nothing is sent to it) while pgbench has the server.
    await prepareFloorDatabase(BENCH_STOCK, BENCH_PRICE_CENTS);
    await runFloor({ clients: CONCURRENCY, seconds: FLOOR_WARMUP_S });
    floor = await runFloor({ clients: CONCURRENCY, seconds: MEASURE_MS / 1000 });
    machine.push({ label: 'after the floor', load: machineLoad() });
    log(`   ${floor.tps.toFixed(1)} transactions (orders) /s, p50 ${floor.latencyMs.p50.toFixed(1)} ms, p99 ${floor.latencyMs.p99.toFixed(1)} ms, ${floor.failed} failed`);
  } catch (err) {
    failure = (err as Error).message;
    log(`bench error: ${failure}`);
  } finally {
    log('== restoring the default stack (scripts/local.sh restart)');
    const run = await restoreDefaultStack();
    restored = run.exitCode === 0;
    log(restored ? `   restored in ${(run.ms / 1000).toFixed(1)} s` : `   RESTORE FAILED: ${run.tail}`);
  }
  machine.push({ label: 'end', load: machineLoad() });

  const r = ratios(results, floor);
  const goals = targets(results, r, CONCURRENCY);
  const floorNames = floorSpanNames();
  const comparison = traced ? compareStatements(traced.statements.map((s) => s.name), floorNames) : undefined;
  const table = markdownTable(results, floor, r, CONCURRENCY);
  const stamp = started.toISOString().replace(/[:.]/g, '-');
  const sameStatements = comparison && !comparison.onlyInFloor.length && !comparison.onlyInTrace.length;

  const md = [
    `Run ${started.toISOString()} on this machine (${machine[0]!.load.cpus} CPUs, shared: the whole stack, Jaeger and the load generator run on the same cores). ` +
      `Concurrency ${CONCURRENCY} (closed loop), ${WARMUP_MS / 1000} s warm-up then ${MEASURE_MS / 1000} s measured per run` +
      (LIGHT_CONCURRENCY > 0 ? `, then on the same stack concurrency ${LIGHT_CONCURRENCY} for ${LIGHT_MS / 1000} s (3 s warm-up)` : '') +
      `; stack env ${Object.entries(BENCH_STACK_ENV).map(([k, v]) => `\`${k}=${v}\``).join(', ')}; each run on a freshly restarted stack. ` +
      `${ROUNDS} rounds, the configurations interleaved: orders/s is the median round (range in brackets), latencies are over all rounds' samples.`,
    '',
    table,
    '',
    markdownTargets(goals),
    '',
    `Database floor: ${floorNames.length} statements per order (${floorNames.join(', ')}) plus the services' BEGIN/COMMIT, \`pgbench -M prepared -c ${CONCURRENCY} -j 2 -T ${MEASURE_MS / 1000}\` after a ${FLOOR_WARMUP_S} s warm-up. ` +
      (comparison
        ? sameStatements
          ? `Same statements as the PostgreSQL spans of a real order's trace (\`${traced!.traceId}\`).`
          : `Differs from the real order's trace \`${traced!.traceId}\`: only in the trace ${JSON.stringify(comparison.onlyInTrace)}, only in floor.sql ${JSON.stringify(comparison.onlyInFloor)}.`
        : `Not checked against a trace: ${traceError ?? 'no telemetry-on run'}.`),
    '',
    `Machine load (1-min average): ${machine.map((m) => `${m.label} ${m.load.loadavg1m}`).join(', ')}.`,
    ...(failure ? ['', `**The run failed:** ${failure}`] : []),
  ].join('\n');

  log('');
  log(table);
  log('');
  log(markdownTargets(goals));
  log('');
  log(md.split('\n').slice(-3).join('\n'));

  mkdirSync(RESULTS_DIR, { recursive: true });
  const json = {
    started_at: started.toISOString(),
    finished_at: new Date().toISOString(),
    concurrency: CONCURRENCY,
    warmup_s: WARMUP_MS / 1000,
    measure_s: MEASURE_MS / 1000,
    rounds: ROUNDS,
    stack_env: BENCH_STACK_ENV,
    configs: results,
    floor: floor ?? null,
    ratios: r,
    targets: goals,
    order_statements: traced ?? { error: traceError ?? null },
    floor_statements: floorNames,
    statements_match: comparison ?? null,
    machine,
    failure: failure ?? null,
    restored,
  };
  for (const name of [stamp, 'latest']) {
    writeFileSync(join(RESULTS_DIR, `${name}.json`), `${JSON.stringify(json, null, 2)}\n`);
    writeFileSync(join(RESULTS_DIR, `${name}.md`), `# Bench ${started.toISOString()}\n\n${md}\n`);
  }
  if (!failure) {
    updateProofDoc('bench', md);
    // The README shows the latest tables too (the method is in docs/proof.md).
    updateProofDoc('bench', readmeSection(started, table, markdownTargets(goals)), README);
  }
  log(`results: bench/results/${stamp}.{json,md} and latest.{json,md}${failure ? '' : '; table copied into docs/proof.md'}`);
  return failure || !restored ? 1 : 0;
}

process.exitCode = await main();
