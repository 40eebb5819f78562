// The CPU one fault-flag evaluation costs a service, measured directly: in
// this process, through the kit's own flags following the bench stack's
// flagd (every flag off, as in the bench), against the kit's FLAGS_OFF, the
// provider-off build. A whole-stack run on a shared 2-core machine varies by
// more than the 2 % the flags are allowed, so the cost per order is also
// built from below: evaluations per order (flag-call-sites.ts) times the
// extra CPU of each, plus the fresh resolutions each second.
// Three configurations, interleaved round by round:
// - off: FLAGS_OFF, what a service without a provider calls;
// - kept: the flags as services run them, a resolution kept for up to 1 s;
// - asked: the same with nothing kept, every call through OpenFeature's SDK
//   and flagd's in-process resolver (what a fresh resolution costs).
import { FLAGS, type FlagName } from '@shop/contracts';
import { FLAGS_OFF, startFlags, type BooleanFlagName, type FaultFlags, type Logger, type NumberFlagName } from '@shop/kit';
import { FLAG_CALL_SITES } from './flag-call-sites.ts';
import { median } from './flags-report.ts';

export interface EvaluationRound {
  round: number;
  /** CPU nanoseconds per evaluation. */
  offNs: number;
  keptNs: number;
  askedNs: number;
}

export interface EvaluationCost {
  rounds: EvaluationRound[];
  offNs: number;
  keptNs: number;
  askedNs: number;
  /** CPU ns per second one provider costs with nothing evaluated (its stream, its timers), idle this process against idle with none; 0 when below that noise. */
  backgroundNsPerSecond: number;
  /** This process's idle CPU ns per second: with no provider (the quieter of before and after), and with two. */
  idleWithoutNsPerSecond: number;
  idleWithNsPerSecond: number;
}

const evaluationOf = (name: FlagName) => (flags: FaultFlags) =>
  FLAGS[name].type === 'boolean' ? flags.boolean(name as BooleanFlagName) : flags.number(name as NumberFlagName);
const EVALUATIONS_ON_AN_ORDER_PATH = FLAG_CALL_SITES.filter((site) => site.perOrder > 0).map((site) => evaluationOf(site.flag));

/** Evaluates the flags an order passes, in turn, `count` times; CPU ns per evaluation. */
async function cpuPerEvaluation(flags: FaultFlags, count: number): Promise<number> {
  const before = process.cpuUsage();
  for (let i = 0; i < count; i++) await EVALUATIONS_ON_AN_ORDER_PATH[i % EVALUATIONS_ON_AN_ORDER_PATH.length]!(flags);
  const used = process.cpuUsage(before);
  return ((used.user + used.system) * 1000) / count;
}

export interface EvaluationOptions {
  flagd: { host: string; port: number };
  rounds: number;
  /** Evaluations per measurement of off and kept (cheap); asked gets a twentieth. */
  evaluations?: number;
  log: (line: string) => void;
}

/** CPU ns per second of this process over `ms` of doing nothing. */
async function idleCpuPerSecond(ms: number): Promise<number> {
  const before = process.cpuUsage();
  const started = performance.now();
  await new Promise((resolve) => setTimeout(resolve, ms));
  const used = process.cpuUsage(before);
  return ((used.user + used.system) * 1000) / ((performance.now() - started) / 1000);
}

const IDLE_MS = 3_000;

export async function measureEvaluationCost(options: EvaluationOptions): Promise<EvaluationCost> {
  const count = options.evaluations ?? 400_000;
  const quiet = (() => {}) as unknown as Logger['info'];
  const log: Logger = { info: quiet, warn: quiet, error: quiet };
  const start = (keepMs?: number) => startFlags({ log, env: {}, flagd: { host: options.flagd.host, port: options.flagd.port }, keepMs, readyWithinMs: 5_000 });
  // Settled first: what this process just did (loading, the stack's start) is not idle.
  await idleCpuPerSecond(IDLE_MS);
  const idleBefore = await idleCpuPerSecond(IDLE_MS);
  const kept = await start();
  const asked = await start(0);
  let closed = false;
  try {
    if (kept === FLAGS_OFF || asked === FLAGS_OFF) throw new Error('the flags did not start a provider');
    const configs = [
      { name: 'off' as const, measure: () => cpuPerEvaluation(FLAGS_OFF, count) },
      { name: 'kept' as const, measure: () => cpuPerEvaluation(kept, count) },
      { name: 'asked' as const, measure: () => cpuPerEvaluation(asked, Math.ceil(count / 20)) },
    ];
    // Two providers now follow flagd, nothing evaluated.
    const idleWith = await idleCpuPerSecond(IDLE_MS);
    // Once unmeasured: the JIT compiles every path first.
    for (const config of configs) await config.measure();
    const rounds: EvaluationRound[] = [];
    for (let round = 1; round <= options.rounds; round++) {
      const ns: Record<string, number> = {};
      // Each round starts with a different configuration.
      for (let i = 0; i < configs.length; i++) {
        const config = configs[(i + round) % configs.length]!;
        ns[config.name] = await config.measure();
      }
      rounds.push({ round, offNs: ns.off!, keptNs: ns.kept!, askedNs: ns.asked! });
      options.log(`   evaluation round ${round}: off ${ns.off!.toFixed(0)} ns, kept ${ns.kept!.toFixed(0)} ns, asked ${ns.asked!.toFixed(0)} ns of CPU each`);
    }
    await Promise.all([kept.close(), asked.close()]);
    closed = true;
    const idleAfter = await idleCpuPerSecond(IDLE_MS);
    // The quieter of the idle seconds with no provider, before and after.
    const idleWithout = Math.min(idleBefore, idleAfter);
    options.log(
      `   idle: ${(idleBefore / 1e3).toFixed(0)} µs of CPU a second with no provider, ${(idleWith / 1e3).toFixed(0)} µs with two, ${(idleAfter / 1e3).toFixed(0)} µs with none again`,
    );
    return {
      rounds,
      offNs: median(rounds.map((r) => r.offNs)),
      keptNs: median(rounds.map((r) => r.keptNs)),
      askedNs: median(rounds.map((r) => r.askedNs)),
      backgroundNsPerSecond: Math.max(0, (idleWith - idleWithout) / 2),
      idleWithoutNsPerSecond: idleWithout,
      idleWithNsPerSecond: idleWith,
    };
  } finally {
    if (!closed) await Promise.all([kept.close(), asked.close()]);
  }
}
