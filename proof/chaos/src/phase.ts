// One fault phase: a product of its own, steady load, the fault (a kill and
// the restart, or a fault flag set, held and reset), the wait for the system
// to settle, and a snapshot of every store. Each step has a deadline, so a
// phase always ends.
import type { LocalFileStore } from '@shop/cli/flags/local-file-store';
import type { Fault, FaultName, FlagFault, KillFault } from './faults.ts';
import { runChaosLoad, type AttemptRecord, type ChaosLoadResult } from './load/chaos-load.ts';
import { attemptOrder, type Gateway } from './load/order-attempt.ts';
import { waitAllReady } from '../../stack/health.ts';
import { INFRA, SERVICES, killHard, livePid, type Kill, type Target } from '../../stack/processes.ts';
import { runScript, type Env } from '../../stack/scripts.ts';
import { createProduct, notificationsOf, ordersOfProduct, outboxOf, paymentsOf, reservationsOfProduct, stockOf, type Stores } from './stores.ts';
import type { Snapshot } from './invariants.ts';

export interface PhaseSettings {
  runId: string;
  gateway: Gateway;
  env: Env;
  ratePerSecond: number;
  /** Load runs at least this long... */
  loadMs: number;
  /** ...and at least this long after the restart finished... */
  loadAfterRestartMs: number;
  /** ...but never longer than this. */
  maxLoadMs: number;
  killAtMs: number;
  downMs: number;
  restartTimeoutMs: number;
  clientTimeoutMs: number;
  maxAttempts: number;
  retryGraceMs: number;
  recoveryTimeoutMs: number;
  initialStock: number;
  priceCents: number;
  /** make local's flags file, as `shopctl flags` writes it (the flag phase sets and resets through it). */
  flagStore: LocalFileStore;
  /** How long after flagd serves a change a service may still act on the old value. */
  flagGraceMs: number;
}

/** A flag phase's timeline, ms since the load started. */
export interface FlagRecord {
  name: FlagFault['target'];
  value: FlagFault['value'];
  /** The file was written with the flag on... */
  setAtMs: number;
  /** ...and flagd served it (undefined: it never did). */
  onAtMs: number | undefined;
  /** The reset was written... */
  offAtMs: number | undefined;
  /** ...and flagd served it. */
  offServedAtMs: number | undefined;
}

export interface PhaseRecord {
  fault: FaultName;
  productId: string;
  initialStock: number;
  kill: Kill | undefined;
  killedAtMs: number | undefined;
  restart: { ok: boolean; ms: number; detail: string } | undefined;
  /** When the restarted component was ready again, or flagd served the flag's reset. */
  restartedAtMs: number | undefined;
  flag: FlagRecord | undefined;
  collateralDeaths: string[];
  load: Omit<ChaosLoadResult, 'attempts'> | undefined;
  attempts: AttemptRecord[];
  recovery: { settled: boolean; ms: number; waitingFor: string };
  snapshot: Snapshot | undefined;
  /** Why the phase could not complete, when it could not. */
  error: string | undefined;
  durationMs: number;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Stack processes that are not running, of those that were running before the phase. */
function deadProcesses(expected: readonly Target[]): Target[] {
  return expected.filter((t) => livePid(t) === undefined);
}

/** A phase's record before anything happened (or for one that never ran). */
export function newPhaseRecord(fault: PhaseRecord['fault'], productId: string, initialStock: number, waitingFor: string, error?: string): PhaseRecord {
  return {
    fault,
    productId,
    initialStock,
    kill: undefined,
    killedAtMs: undefined,
    restart: undefined,
    restartedAtMs: undefined,
    flag: undefined,
    collateralDeaths: [],
    load: undefined,
    attempts: [],
    recovery: { settled: false, ms: 0, waitingFor },
    snapshot: undefined,
    error,
    durationMs: 0,
  };
}

export async function runPhase(fault: Fault, settings: PhaseSettings, stores: Stores, log: (line: string) => void): Promise<PhaseRecord> {
  const phaseStarted = performance.now();
  const productId = `CHAOS-${settings.runId}-${fault.target}`.toUpperCase();
  const record = newPhaseRecord(fault.target, productId, settings.initialStock, 'not started');
  const watched: Target[] = [...SERVICES, ...INFRA].filter((t) => livePid(t) !== undefined);
  try {
    await createProduct(stores, productId, settings.initialStock, settings.priceCents);
    let restartSettled = false;
    const t0 = performance.now();
    const elapsed = () => performance.now() - t0;
    const loadDone = runChaosLoad(
      {
        ratePerSecond: settings.ratePerSecond,
        productId,
        userPrefix: `chaos-${settings.runId}`,
        stopArrivals: (ms) =>
          ms >= settings.loadMs && restartSettled && (record.restartedAtMs === undefined || ms >= record.restartedAtMs + settings.loadAfterRestartMs),
        maxArrivalsMs: settings.maxLoadMs,
        clientTimeoutMs: settings.clientTimeoutMs,
        maxAttempts: settings.maxAttempts,
        retryGraceMs: settings.retryGraceMs,
        maxInFlight: 400,
      },
      (order) => attemptOrder(settings.gateway, order, settings.clientTimeoutMs),
    );

    let faultError: string | undefined;
    try {
      await sleep(settings.killAtMs);
      if (fault.kind === 'kill') await killAndRestart(fault, settings, record, elapsed, log);
      else await flipFlag(fault, settings, record, elapsed, log);
    } catch (err) {
      // The load still runs: let it finish before anything else happens.
      faultError = (err as Error).message;
      log(`  fault error: ${faultError}`);
    } finally {
      restartSettled = true;
    }
    await collectCollateral(record, watched, fault.target, settings, log);

    const load = await loadDone;
    const { attempts, ...loadStats } = load;
    record.attempts = attempts;
    record.load = loadStats;
    log(
      `  load: ${load.logicalOrders} orders, ${attempts.length} attempts, arrivals ended at ${(load.arrivalsEndedMs / 1000).toFixed(1)} s, last answer at ${(load.endedMs / 1000).toFixed(1)} s`,
    );

    record.recovery = await waitUntilSettled(stores, productId, settings.recoveryTimeoutMs);
    log(
      `  recovery: ${record.recovery.settled ? `settled in ${(record.recovery.ms / 1000).toFixed(1)} s` : `NOT settled after ${(record.recovery.ms / 1000).toFixed(1)} s (${record.recovery.waitingFor})`}`,
    );
    await collectCollateral(record, watched, fault.target, settings, log);
    record.snapshot = await takeSnapshot(stores, productId);
    if (faultError) record.error = faultError;
  } catch (err) {
    record.error = (err as Error).message;
    log(`  phase error: ${record.error}`);
  }
  record.durationMs = performance.now() - phaseStarted;
  return record;
}

async function killAndRestart(
  fault: KillFault,
  settings: PhaseSettings,
  record: PhaseRecord,
  elapsed: () => number,
  log: (line: string) => void,
): Promise<void> {
  record.kill = await killHard(fault.target);
  record.killedAtMs = elapsed();
  log(
    `  ${fault.target}: SIGKILL pid ${record.kill.pid} at ${(record.killedAtMs / 1000).toFixed(1)} s${record.kill.orphans.length ? ` (${record.kill.orphans.length} children still alive)` : ''}`,
  );
  await sleep(settings.downMs);
  const run = await runScript(fault.restart, { env: settings.env, timeoutMs: settings.restartTimeoutMs });
  record.restart = { ok: run.exitCode === 0, ms: run.ms, detail: run.exitCode === 0 ? '' : run.tail };
  if (run.exitCode === 0) record.restartedAtMs = elapsed();
  log(
    `  ${fault.target}: ${run.command} ${run.exitCode === 0 ? `ready at ${(elapsed() / 1000).toFixed(1)} s (took ${(run.ms / 1000).toFixed(1)} s)` : `FAILED: ${run.tail}`}`,
  );
}

/**
 * The flag on (the flags file rewritten as `shopctl flags set` does, then
 * waiting until flagd serves it), held, then every flag off again (as
 * `shopctl flags reset`), whatever happened in between.
 */
async function flipFlag(fault: FlagFault, settings: PhaseSettings, record: PhaseRecord, elapsed: () => number, log: (line: string) => void): Promise<void> {
  const store = settings.flagStore;
  const on = { [fault.target]: fault.value };
  const flag: FlagRecord = { name: fault.target, value: fault.value, setAtMs: elapsed(), onAtMs: undefined, offAtMs: undefined, offServedAtMs: undefined };
  record.flag = flag;
  const at = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
  try {
    await store.write(on);
    const served = await store.waitServed(on);
    if (served.state !== 'served') throw new Error(`flagd did not serve ${fault.target}=${fault.value} (${served.state} ${served.differs.join(', ')})`);
    flag.onAtMs = elapsed();
    log(`  ${fault.target}: set to ${fault.value} at ${at(flag.setAtMs)}, served by flagd at ${at(flag.onAtMs)}; held ${fault.holdMs / 1000} s`);
    await sleep(fault.holdMs);
  } finally {
    flag.offAtMs = elapsed();
    await store.write({});
    const served = await store.waitServed({});
    if (served.state === 'served') {
      flag.offServedAtMs = elapsed();
      record.restartedAtMs = flag.offServedAtMs;
    }
    log(
      `  ${fault.target}: reset at ${at(flag.offAtMs)}, ${flag.offServedAtMs === undefined ? `flagd did NOT serve it (${served.state})` : `served by flagd at ${at(flag.offServedAtMs)}`}`,
    );
  }
  if (flag.offServedAtMs === undefined) throw new Error('flagd did not serve the reset: every flag may not be off');
}

/** Other processes that died with the fault are noted, then brought back so the suite can go on. */
async function collectCollateral(
  record: PhaseRecord,
  watched: Target[],
  target: FaultName,
  settings: PhaseSettings,
  log: (line: string) => void,
): Promise<void> {
  const dead = deadProcesses(watched).filter((t) => t !== target || record.restart?.ok);
  const fresh = dead.filter((t) => !record.collateralDeaths.includes(t));
  if (fresh.length === 0) return;
  record.collateralDeaths.push(...fresh);
  log(`  also dead: ${fresh.join(', ')}; restarting with scripts/local/local.sh up`);
  const run = await runScript(['scripts/local/local.sh', 'up'], { env: settings.env, timeoutMs: settings.restartTimeoutMs });
  if (run.exitCode !== 0) log(`  scripts/local/local.sh up failed: ${run.tail}`);
}

/**
 * Settled: no order of the product pending, every created order's outbox row
 * sent and its notification handled, every service ready. Store errors (the
 * database itself just restarted) only mean "not yet".
 */
async function waitUntilSettled(stores: Stores, productId: string, timeoutMs: number): Promise<{ settled: boolean; ms: number; waitingFor: string }> {
  const started = performance.now();
  let waitingFor = '';
  for (;;) {
    try {
      const orders = await ordersOfProduct(stores, productId);
      const pending = orders.filter((o) => o.status === 'pending').length;
      const created = orders.filter((o) => o.status === 'created').map((o) => o.id);
      const unsent = (await outboxOf(stores, created)).filter((m) => !m.sent).length;
      const handled = new Set((await notificationsOf(stores, created)).filter((n) => n.status !== 'pending').map((n) => n.orderId)).size;
      const notReady = await waitAllReady(0);
      const missing = [
        pending && `${pending} pending`,
        unsent && `${unsent} unsent outbox rows`,
        handled < created.length && `${created.length - handled} notifications`,
        notReady.length && `not ready: ${notReady.join(', ')}`,
      ].filter(Boolean);
      waitingFor = missing.join(', ');
      if (missing.length === 0) return { settled: true, ms: performance.now() - started, waitingFor: '' };
    } catch (err) {
      waitingFor = `stores: ${(err as Error).message}`;
    }
    if (performance.now() - started > timeoutMs) return { settled: false, ms: performance.now() - started, waitingFor };
    await sleep(1000);
  }
}

async function takeSnapshot(stores: Stores, productId: string): Promise<Snapshot> {
  const orders = await ordersOfProduct(stores, productId);
  const ids = orders.map((o) => o.id);
  const [currentStock, reservations, outbox, notifications, payments] = await Promise.all([
    stockOf(stores, productId),
    reservationsOfProduct(stores, productId),
    outboxOf(stores, ids),
    notificationsOf(stores, ids),
    paymentsOf(ids),
  ]);
  return { orders, currentStock, reservations, outbox, notifications, payments };
}
