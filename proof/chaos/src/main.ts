// `make chaos`: the bounded fault suite against `make local`. Restarts the
// stack with short recovery timings and every fault flag off, runs one phase
// per fault (steady load, SIGKILL and restart or a fault flag on and reset,
// recovery, snapshot of every store), reads the DLQ,
// judges every invariant, prints fault x invariant, writes
// proof/chaos/results/latest.{json,md}, restores the default stack, and exits
// non-zero on any violation. Run it under the stack lock (the make target
// takes it).
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { LocalFileStore, localFlagsFile } from '@shop/cli/flags/local-file-store';
import { localServiceUrl } from '@shop/contracts';
import { readDeadLetters, type DeadLetter } from './dlq.ts';
import { selectFaults } from './faults.ts';
import { verifyPhase } from './invariants.ts';
import { describeLoad, machineLoad } from '../../stack/machine.ts';
import { newPhaseRecord, runPhase, type PhaseRecord, type PhaseSettings } from './phase.ts';
import { invariantLegend, renderMarkdown, renderText, renderViolations, summarizePhase, type PhaseVerdict } from './report.ts';
import { waitAllReady } from '../../stack/health.ts';
import { REPO_ROOT } from '../../stack/paths.ts';
import { INFRA, livePid, pidSource, type Infra } from '../../stack/processes.ts';
import { runScript, runScriptOrThrow, stackEnv } from '../../stack/scripts.ts';
import { openStores } from './stores.ts';

/**
 * The stack's configuration for the suite. RECOVERY_AFTER_MS is order's
 * smallest allowed value for PAYMENT_TIMEOUT_MS=1000 (2 x (4 x 1000 + 1000));
 * the sweep runs every second; a payment claim left by a killed payment
 * process expires after 3 s instead of 30 s; the rate limit is raised.
 * Everything else is the default.
 */
export const CHAOS_ENV = {
  RECOVERY_AFTER_MS: '10000',
  RECOVERY_INTERVAL_MS: '1000',
  PAYMENT_TIMEOUT_MS: '1000',
  PAYMENT_LEASE_MS: '3000',
  // A client's retries during an outage multiply the rate; the limiter is
  // not what the suite tests, so it stays out of the way (429s still count
  // as clear answers when they happen).
  RATE_LIMIT_PER_SECOND: '500',
  RATE_LIMIT_BURST: '1000',
} as const;

const env = process.env;
const seconds = (name: string, fallback: number) => 1000 * Number(env[name] ?? fallback);
const RESULTS_DIR = join(REPO_ROOT, 'proof', 'chaos', 'results');
// Ends the phases in time for the restore, so one run of the suite holds
// the shared stack lock for well under 9 minutes.
const SUITE_BUDGET_MS = seconds('CHAOS_BUDGET_SECONDS', 480);
const PHASE_WORST_CASE_MS = 100_000;

const log = (line: string) => process.stdout.write(`${line}\n`);
const runId = `${new Date().toISOString().slice(5, 16).replace(/\D/g, '')}${Math.random().toString(16).slice(2, 6)}`;
const defaultEnv = stackEnv(Object.fromEntries(Object.keys(CHAOS_ENV).map((k) => [k, undefined])));
const chaosEnv = stackEnv(CHAOS_ENV);

const settings: PhaseSettings = {
  runId,
  gateway: { url: env.SHOP_GATEWAY_URL ?? localServiceUrl('gateway'), apiKey: env.SHOP_API_KEY ?? 'local-dev-key' },
  env: chaosEnv,
  ratePerSecond: Number(env.CHAOS_RATE ?? 15),
  loadMs: seconds('CHAOS_LOAD_SECONDS', 20),
  loadAfterRestartMs: 6_000,
  maxLoadMs: 40_000,
  killAtMs: 4_000,
  downMs: 4_000,
  restartTimeoutMs: 120_000,
  // Above the gateway's ORDER_TIMEOUT_MS (10 s): the gateway must answer first.
  clientTimeoutMs: 12_000,
  maxAttempts: 4,
  retryGraceMs: 8_000,
  recoveryTimeoutMs: 60_000,
  initialStock: 1_000_000,
  priceCents: 1999,
  // The file `shopctl flags` writes and flagd watches ($SHOP_STATE_DIR honoured).
  flagStore: new LocalFileStore({ file: localFlagsFile(env), ...(env.SHOP_FLAGD_OFREP_URL ? { ofrepUrl: env.SHOP_FLAGD_OFREP_URL } : {}) }),
  // The services follow flagd's sync stream: a change reaches them well within this.
  flagGraceMs: 1_000,
};

// kafkajs (2.2.4) arms timers with negative delays on Node 24; Node warns
// about each. Harmless, and not ours to fix: keep the output readable.
process.removeAllListeners('warning');
process.on('warning', (warning) => {
  if (warning.name !== 'TimeoutNegativeWarning') process.stderr.write(`${warning.name}: ${warning.message}\n`);
});

let interrupted = false;
process.on('SIGINT', () => {
  if (interrupted) process.exit(130);
  interrupted = true;
  log('interrupted: finishing the current phase, then restoring the default stack (Ctrl-C again to quit at once)');
});

async function main(): Promise<number> {
  const started = performance.now();
  const faults = selectFaults(env.CHAOS_FAULTS);
  const loadBefore = machineLoad();
  log(`chaos run ${runId}: ${faults.map((f) => f.target).join(', ')} at ${settings.ratePerSecond} orders/s; ${describeLoad(loadBefore)}`);

  const stores = openStores();
  const records: PhaseRecord[] = [];
  let deadLetters: DeadLetter[] = [];
  let dlqComplete = false;
  let restore = { ok: false, detail: '' };
  try {
    log('== the stack, up with the current code (scripts/local/local.sh up)');
    await runScriptOrThrow(['scripts/local/local.sh', 'up'], { env: defaultEnv, timeoutMs: 180_000 });
    const foreign = faults.map((f) => f.target).filter((t): t is Infra => (INFRA as readonly string[]).includes(t) && livePid(t as Infra) === undefined);
    if (foreign.length) {
      throw new Error(
        `${foreign.join(', ')} not running as this checkout's own (no live pid in ${foreign.map((t) => pidSource(t).file).join(', ')}): ` +
          'probably reused from another checkout; the suite kills only what .local/ records. Stop that instance or choose faults with CHAOS_FAULTS.',
      );
    }
    log(
      `== restarting the services with ${Object.entries(CHAOS_ENV)
        .map(([k, v]) => `${k}=${v}`)
        .join(' ')}`,
    );
    await runScriptOrThrow(['scripts/local/local.sh', 'restart'], { env: chaosEnv, timeoutMs: 180_000 });
    await everyFlagOff();

    for (const fault of faults) {
      const left = SUITE_BUDGET_MS - (performance.now() - started);
      if (interrupted || left < PHASE_WORST_CASE_MS) {
        log(`== ${fault.target}: skipped (${interrupted ? 'interrupted' : `only ${Math.round(left / 1000)} s of the suite's budget left`})`);
        records.push(skipped(fault.target, interrupted ? 'interrupted' : 'out of time budget'));
        continue;
      }
      log(`== ${fault.target}`);
      const missing = await waitAllReady(30_000);
      if (missing.length) log(`  warning: not ready before the phase: ${missing.join(', ')}`);
      records.push(await runPhase(fault, settings, stores, log));
    }

    log('== reading the dead-letter topic');
    try {
      const read = await readDeadLetters({ brokers: [env.KAFKA_BROKERS ?? '127.0.0.1:9092'], groupId: `shop-chaos-dlq-${runId}`, timeoutMs: 20_000 });
      deadLetters = read.letters;
      dlqComplete = read.complete;
      log(`  ${deadLetters.length} dead letters on the topic${dlqComplete ? '' : ' (read NOT complete)'}`);
    } catch (err) {
      log(`  could not read the DLQ: ${(err as Error).message}`);
    }
  } catch (err) {
    log(`suite error: ${(err as Error).message}`);
    records.push(skipped('suite' as PhaseRecord['fault'], (err as Error).message));
  } finally {
    await everyFlagOff().catch((err: Error) => log(`  could not turn every flag off: ${err.message}`));
    log('== restoring the default stack (scripts/local/local.sh restart)');
    const run = await runScript(['scripts/local/local.sh', 'restart'], { env: defaultEnv, timeoutMs: 180_000 });
    restore = { ok: run.exitCode === 0, detail: run.exitCode === 0 ? `in ${(run.ms / 1000).toFixed(1)} s` : run.tail };
    log(`  ${restore.ok ? 'restored' : 'RESTORE FAILED'} ${restore.detail}`);
    await stores.close().catch(() => {});
  }

  const verdicts: PhaseVerdict[] = records.map((record) => {
    if (!record.snapshot) return { record, results: [], ok: false };
    const orderIds = new Set(record.snapshot.orders.map((o) => o.id));
    const results = verifyPhase({
      productId: record.productId,
      initialStock: record.initialStock,
      clientTimeoutMs: settings.clientTimeoutMs,
      restartedAtMs: record.restartedAtMs,
      attempts: record.attempts,
      ...record.snapshot,
      deadLetters: deadLetters.filter((l) => l.orderId !== undefined && orderIds.has(l.orderId)),
      dlqReadComplete: dlqComplete,
      collateralDeaths: record.collateralDeaths,
      flagWindow:
        record.flag?.onAtMs !== undefined && record.flag.offAtMs !== undefined
          ? { onAtMs: record.flag.onAtMs, offAtMs: record.flag.offAtMs, offServedAtMs: record.flag.offServedAtMs, graceMs: settings.flagGraceMs }
          : undefined,
    });
    return { record, results, ok: !record.error && results.every((r) => r.violations === 0) };
  });
  const summaries = verdicts.map((v) => summarizePhase(v, deadLetters.filter((l) => v.record.snapshot?.orders.some((o) => o.id === l.orderId)).length));
  const loadAfter = machineLoad();
  const ok = verdicts.length > 0 && verdicts.every((v) => v.ok) && restore.ok;

  log('');
  log(renderText(verdicts, summaries));
  const violations = renderViolations(verdicts);
  log('');
  log(violations.length ? ['violations:', ...violations].join('\n') : 'no violations');
  log(`machine: before ${describeLoad(loadBefore)}; after ${describeLoad(loadAfter)}`);
  log(`${ok ? 'PASS' : 'FAIL'}: chaos run ${runId} in ${((performance.now() - started) / 1000).toFixed(0)} s; results in proof/chaos/results/latest.{json,md}`);

  writeResults({
    verdicts,
    summaries,
    violations,
    loadBefore,
    loadAfter,
    ok,
    restore,
    dlqComplete,
    totalDeadLetters: deadLetters.length,
    durationMs: performance.now() - started,
  });
  return ok ? 0 : 1;
}

/** Every fault flag off (as `shopctl flags reset`), served by flagd: the phases but the flag's own run with none on. */
async function everyFlagOff(): Promise<void> {
  const before = await settings.flagStore.read();
  await settings.flagStore.write({});
  const served = await settings.flagStore.waitServed({});
  if (served.state !== 'served')
    throw new Error(`every fault flag off: flagd does not serve it (${served.state} ${served.differs.join(', ')}); see .local/logs/flagd.log`);
  const were = Object.keys(before);
  log(`== every fault flag off (${settings.flagStore.where})${were.length ? `; were on: ${were.join(', ')}` : ''}`);
}

function skipped(fault: PhaseRecord['fault'], error: string): PhaseRecord {
  return newPhaseRecord(fault, '', settings.initialStock, 'not run', error);
}

function writeResults(r: {
  verdicts: PhaseVerdict[];
  summaries: ReturnType<typeof summarizePhase>[];
  violations: string[];
  loadBefore: ReturnType<typeof machineLoad>;
  loadAfter: ReturnType<typeof machineLoad>;
  ok: boolean;
  restore: { ok: boolean; detail: string };
  dlqComplete: boolean;
  totalDeadLetters: number;
  durationMs: number;
}): void {
  mkdirSync(RESULTS_DIR, { recursive: true });
  const { env: _env, gateway, flagStore, ...shownSettings } = settings;
  const json = {
    run_id: runId,
    finished_at: new Date().toISOString(),
    ok: r.ok,
    duration_s: Math.round(r.durationMs / 1000),
    machine: { before: r.loadBefore, after: r.loadAfter },
    stack_env: CHAOS_ENV,
    settings: { ...shownSettings, gateway: gateway.url, flags: flagStore.where },
    invariants: Object.fromEntries(invariantLegend().map((l) => l.split(': ', 2) as [string, string])),
    phases: r.verdicts.map((v, i) => ({
      summary: r.summaries[i],
      product_id: v.record.productId,
      kill: v.record.kill
        ? {
            pid: v.record.kill.pid,
            at_s: round1(v.record.killedAtMs),
            died_in_ms: Math.round(v.record.kill.diedInMs),
            children_left: v.record.kill.orphans.length,
          }
        : null,
      restart: v.record.restart
        ? {
            ok: v.record.restart.ok,
            seconds: round1(v.record.restart.ms),
            ready_at_s: round1(v.record.restartedAtMs),
            detail: v.record.restart.detail || undefined,
          }
        : null,
      flag: v.record.flag
        ? {
            name: v.record.flag.name,
            value: v.record.flag.value,
            set_at_s: round1(v.record.flag.setAtMs),
            on_at_s: round1(v.record.flag.onAtMs),
            reset_at_s: round1(v.record.flag.offAtMs),
            off_at_s: round1(v.record.flag.offServedAtMs),
          }
        : null,
      recovery: { settled: v.record.recovery.settled, seconds: round1(v.record.recovery.ms), waiting_for: v.record.recovery.waitingFor || undefined },
      collateral_deaths: v.record.collateralDeaths,
      load: v.record.load,
      error: v.record.error ?? null,
      ok: v.ok,
      invariants: v.results,
    })),
    dead_letters_on_topic: r.totalDeadLetters,
    dlq_read_complete: r.dlqComplete,
    restore: r.restore,
    violations: r.violations,
  };
  writeFileSync(join(RESULTS_DIR, 'latest.json'), `${JSON.stringify(json, null, 2)}\n`);
  const md = [
    '<!-- Generated by `make chaos` (proof/chaos/src/main.ts): do not edit. -->',
    `# Chaos: latest run`,
    '',
    `Run \`${runId}\`, finished ${json.finished_at}, ${json.duration_s} s, **${r.ok ? 'PASS' : 'FAIL'}**. ` +
      `Load ${settings.ratePerSecond} orders/s; SIGKILL ${settings.killAtMs / 1000} s into the load, restart ${settings.downMs / 1000} s later; ` +
      `a flag phase sets its flag ${settings.killAtMs / 1000} s into the load, holds it, then resets every flag (every other phase runs with every flag off). ` +
      `Stack env: ${Object.entries(CHAOS_ENV)
        .map(([k, v]) => `\`${k}=${v}\``)
        .join(', ')}.`,
    `Machine: before ${describeLoad(r.loadBefore)}; after ${describeLoad(r.loadAfter)}.`,
    '',
    'Cells: `ok N` = N checks, none violated; `FAIL v/N` = v of N violated. `non-201` counts attempts (retries included) answered otherwise; `settled s` = time from the end of the load until nothing was pending, every outbox row sent and every notification handled (`NO` = not within the deadline).',
    '',
    renderMarkdown(r.verdicts, r.summaries),
    '',
    ...(r.violations.length ? ['Violations:', '', '```', ...r.violations, '```', ''] : ['No violations.', '']),
    ...flagLines(r.verdicts),
    'Answers by status (attempts) and final order statuses:',
    '',
    ...r.summaries.map(
      (s) =>
        `- **${s.fault}**: ${
          Object.entries(s.byStatus)
            .map(([k, n]) => `${k} x ${n}`)
            .join(', ') || 'none'
        }; orders: ${
          Object.entries(s.finalStatuses)
            .map(([k, n]) => `${k} x ${n}`)
            .join(', ') || 'none'
        }`,
    ),
    '',
    'Invariants:',
    '',
    ...invariantLegend().map((l) => `- ${l}`),
    '',
  ].join('\n');
  writeFileSync(join(RESULTS_DIR, 'latest.md'), md);
}

/** The timeline of each flag phase, in words. */
function flagLines(verdicts: PhaseVerdict[]): string[] {
  const at = (ms: number | undefined) => (ms === undefined ? 'never' : `${(ms / 1000).toFixed(1)} s`);
  const lines = verdicts.flatMap(({ record: { fault, flag } }) =>
    flag
      ? [
          `- **${fault}**: set to \`${flag.value}\` at ${at(flag.setAtMs)} into the load, served by flagd at ${at(flag.onAtMs)}; ` +
            `reset at ${at(flag.offAtMs)}, served at ${at(flag.offServedAtMs)}. The \`flag\` column judges the first attempts sent from ${settings.flagGraceMs / 1000} s after it was served until the reset, and from ${settings.flagGraceMs / 1000} s after the reset was served.`,
        ]
      : [],
  );
  return lines.length ? ['Fault flags:', '', ...lines, ''] : [];
}

const round1 = (ms: number | undefined) => (ms === undefined ? null : Math.round(ms / 100) / 10);

process.exitCode = await main();
