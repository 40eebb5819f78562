// `make bench-profile`: where the CPU goes under the bench load. Restarts the
// stack with the bench configuration (sampling 0.1 unless BENCH_PROFILE_CONFIG
// says otherwise) and NODE_OPTIONS=--cpu-prof, drives it like `make bench`,
// then restores the default stack: the SIGTERM drain makes each service
// write its profile on exit. Summarized per service (self time by package,
// top frames) over the measuring window only (start-up, where every import
// goes through the ESM loader-hook thread, would swamp the picture) into
// proof/bench/results/profile-latest.{json,md}.
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { summarizeLatencies } from '@shop/load';
import { describeLoad, machineLoad } from '../../stack/machine.ts';
import { REPO_ROOT } from '../../stack/paths.ts';
import { livePid, SERVICES, type Service } from '../../stack/processes.ts';
import { sendBenchOrder } from './bench-orders.ts';
import { restartBenchStack, restoreDefaultStack, startBenchStack } from './bench-stack.ts';
import { runClosedLoop } from './closed-loop.ts';
import { BENCH_STACK_ENV, selectConfigs } from './configs.ts';
import { summarizeProfile, type CpuProfile, type ProfileSummary } from './cpu-profile.ts';

const env = process.env;
const CONCURRENCY = Number(env.BENCH_CONCURRENCY ?? 16);
const MEASURE_MS = 1000 * Number(env.BENCH_SECONDS ?? 20);
const WARMUP_MS = 1000 * Number(env.BENCH_WARMUP_SECONDS ?? 5);
const RESULTS_DIR = join(REPO_ROOT, 'proof', 'bench', 'results');
const log = (line: string) => process.stdout.write(`${line}\n`);

async function main(): Promise<number> {
  const [config] = selectConfigs(env.BENCH_PROFILE_CONFIG ?? '0.1');
  const profileDir = mkdtempSync(join(tmpdir(), 'shop-cpuprof-'));
  const before = machineLoad();
  log(`bench-profile: telemetry ${config!.name}, concurrency ${CONCURRENCY}, ${MEASURE_MS / 1000} s; ${describeLoad(before)}`);
  const pids = new Map<number, Service>();
  let failure: string | undefined;
  let load: { ordersPerSecond: number; p50: number; p99: number } | undefined;
  let window: { fromUs: number; toUs: number } | undefined;
  try {
    await startBenchStack();
    const profiled = { ...config!.env, NODE_OPTIONS: `--cpu-prof --cpu-prof-dir=${profileDir}` };
    log(
      `== restarting with ${Object.entries({ ...BENCH_STACK_ENV, ...profiled })
        .map(([k, v]) => `${k}=${v}`)
        .join(' ')}`,
    );
    await restartBenchStack(profiled);
    for (const service of SERVICES) {
      const pid = livePid(service);
      if (pid !== undefined) pids.set(pid, service);
    }
    const nowUs = () => Number(process.hrtime.bigint() / 1000n);
    const loadStartedUs = nowUs();
    const run = await runClosedLoop({ concurrency: CONCURRENCY, warmupMs: WARMUP_MS, measureMs: MEASURE_MS }, sendBenchOrder);
    window = { fromUs: loadStartedUs + WARMUP_MS * 1000, toUs: loadStartedUs + (WARMUP_MS + MEASURE_MS) * 1000 };
    const latency = summarizeLatencies(run.latenciesMs);
    load = { ordersPerSecond: run.throughput, p50: latency.p50, p99: latency.p99 };
    log(`   ${run.throughput.toFixed(1)} orders/s, p50 ${latency.p50.toFixed(1)} ms, p99 ${latency.p99.toFixed(1)} ms (profiling on)`);
  } catch (err) {
    failure = (err as Error).message;
    log(`profile error: ${failure}`);
  } finally {
    log('== restoring the default stack (the drain writes the profiles)');
    const run = await restoreDefaultStack();
    if (run.exitCode !== 0) failure ??= `restore failed: ${run.tail}`;
  }

  const summaries: Record<string, ProfileSummary> = {};
  const loaderThreadBusyMs: Record<string, number> = {};
  for (const file of readdirSync(profileDir)) {
    // CPU.<date>.<time>.<pid>.<thread>.<seq>.cpuprofile: one per thread. Thread 0
    // is the service; the others are the ESM loader-hook worker that
    // import-in-the-middle registers (busy at start-up only).
    const [, , , pid, thread] = file.split('.');
    const service = pids.get(Number(pid));
    if (!service) continue;
    const summary = summarizeProfile(JSON.parse(readFileSync(join(profileDir, file), 'utf8')) as CpuProfile, 15, window);
    if (Number(thread) === 0) summaries[service] = summary;
    else loaderThreadBusyMs[service] = (loaderThreadBusyMs[service] ?? 0) + summary.totalMs - summary.idleMs;
  }
  rmSync(profileDir, { recursive: true, force: true });
  if (Object.keys(summaries).length === 0) failure ??= 'no profile was written (did a service get SIGKILLed on shutdown?)';

  const pct = (x: number) => `${(x * 100).toFixed(1)} %`;
  const lines: string[] = [
    `# CPU profile under the bench load`,
    '',
    `${new Date().toISOString()}: telemetry ${config!.name}, concurrency ${CONCURRENCY}, ${WARMUP_MS / 1000} s warm-up + ${MEASURE_MS / 1000} s; ` +
      (load ? `${load.ordersPerSecond.toFixed(1)} orders/s, p50 ${load.p50.toFixed(1)} ms, p99 ${load.p99.toFixed(1)} ms while profiling. ` : '') +
      `Machine: before ${describeLoad(before)}, after ${describeLoad(machineLoad())}. Only the samples of the ${MEASURE_MS / 1000} s measuring window count (start-up, warm-up and drain left out). Shares are of the thread's busy (non-idle) time in that window, self time.`,
    '',
    `| service | main thread busy CPU s (of ${MEASURE_MS / 1000}) | loader-hook thread busy s | top packages (self time, main thread) |`,
    '| --- | ---: | ---: | --- |',
    ...Object.entries(summaries).map(
      ([s, p]) =>
        `| ${s} | ${((p.totalMs - p.idleMs) / 1000).toFixed(1)} | ${((loaderThreadBusyMs[s] ?? 0) / 1000).toFixed(1)} | ${p.byPackage
          .slice(0, 8)
          .map((x) => `${x.package} ${pct(x.share)}`)
          .join(', ')} |`,
    ),
  ];
  for (const [service, p] of Object.entries(summaries)) {
    lines.push('', `## ${service}: top frames (self time)`, '', '| frame | package | self ms | share |', '| --- | --- | ---: | ---: |');
    for (const f of p.topFrames) lines.push(`| \`${f.frame.replaceAll('|', '\\|')}\` | ${f.package} | ${f.selfMs.toFixed(0)} | ${pct(f.share)} |`);
  }
  if (failure) lines.push('', `**Failed:** ${failure}`);
  mkdirSync(RESULTS_DIR, { recursive: true });
  writeFileSync(join(RESULTS_DIR, 'profile-latest.md'), `${lines.join('\n')}\n`);
  writeFileSync(
    join(RESULTS_DIR, 'profile-latest.json'),
    `${JSON.stringify({ config: config!.name, concurrency: CONCURRENCY, load, summaries, loaderThreadBusyMs, failure: failure ?? null }, null, 2)}\n`,
  );
  log(lines.slice(0, 8 + Object.keys(summaries).length).join('\n'));
  log('details: proof/bench/results/profile-latest.md');
  return failure ? 1 : 0;
}

process.exitCode = await main();
