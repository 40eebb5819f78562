// `make bench-flags` in numbers: the fault flags' provider on against off,
// the same build, rounds interleaved. The cost is stated as ratios within
// the run (a shared 2-core machine's absolute speed drifts): per round, each
// "on" run against the "off" run beside it, in throughput lost and in the
// services' CPU per order; the median of those, and their spread. When the
// spread between rounds is wider than the goal, the whole-stack run cannot
// tell whether the goal is met, and the cost built from below (one
// evaluation's measured CPU times the evaluations per order) decides.
import type { EvaluationCost } from './flag-evaluation.ts';

export interface FlagRun {
  config: string;
  round: number;
  ordersPerSecond: number;
  /** The five services' CPU ms per order completed in the window. */
  servicesMsPerOrder: number;
  /** Busy share of the machine's cores in the window (1 = every core busy all the time). */
  machineBusyShare: number;
  /** The services' share of the machine's busy time in the window. */
  servicesShareOfBusy: number;
  errors: number;
}

export interface FlagCost {
  rounds: { round: number; on: number; off: number; cost: number; cpuOn: number; cpuOff: number; cpuCost: number }[];
  /** Median over the rounds of 1 - on/off. */
  medianCost: number;
  /** Interquartile range of the rounds' throughput cost. */
  costSpread: number;
  /** Median over the rounds of cpuOn/cpuOff - 1: the verdict of the whole-stack run. */
  medianCpuCost: number;
  cpuCostSpread: number;
  onMedian: number;
  offMedian: number;
  /** The services' CPU per order, each configuration's rounds pooled by orders. */
  cpuOn: number;
  cpuOff: number;
  /** cpuOn / cpuOff - 1. */
  cpuCost: number;
  /** Lowest busy share of the machine in any run: near 1 means the cores, shared by everything, were the bottleneck. */
  minBusyShare: number;
  minServicesShare: number;
}

export const median = (xs: number[]): number => {
  if (xs.length === 0) return Number.NaN;
  const sorted = [...xs].sort((a, b) => a - b);
  const mid = sorted.length / 2;
  return Number.isInteger(mid) ? (sorted[mid - 1]! + sorted[mid]!) / 2 : sorted[Math.floor(mid)]!;
};

/** Quantile q (0..1) by linear interpolation between the sorted values. */
export const quantile = (xs: number[], q: number): number => {
  if (xs.length === 0) return Number.NaN;
  const sorted = [...xs].sort((a, b) => a - b);
  const at = (sorted.length - 1) * q;
  const low = Math.floor(at);
  return sorted[low]! + (sorted[Math.min(low + 1, sorted.length - 1)]! - sorted[low]!) * (at - low);
};

const spread = (xs: number[]) => quantile(xs, 0.75) - quantile(xs, 0.25);

/**
 * The runs' order: each round has both configurations, and the one that goes
 * first alternates (on, off, off, on, on, off, ...), so a machine that speeds
 * up or slows down during the run favours neither.
 */
export function interleave<T>(configs: readonly [T, T], rounds: number): { round: number; config: T }[] {
  const plan: { round: number; config: T }[] = [];
  for (let round = 1; round <= rounds; round++) {
    const [first, second] = round % 2 === 1 ? configs : ([configs[1], configs[0]] as const);
    plan.push({ round, config: first }, { round, config: second });
  }
  return plan;
}

/** `orders` of each run weigh its CPU per order when the rounds are pooled. */
export function flagCost(runs: (FlagRun & { orders: number })[], on: string, off: string): FlagCost {
  const rounds = [...new Set(runs.map((r) => r.round))]
    .sort((a, b) => a - b)
    .flatMap((round) => {
      const a = runs.find((r) => r.round === round && r.config === on);
      const b = runs.find((r) => r.round === round && r.config === off);
      return a && b && b.ordersPerSecond > 0
        ? [
            {
              round,
              on: a.ordersPerSecond,
              off: b.ordersPerSecond,
              cost: 1 - a.ordersPerSecond / b.ordersPerSecond,
              cpuOn: a.servicesMsPerOrder,
              cpuOff: b.servicesMsPerOrder,
              cpuCost: a.servicesMsPerOrder / b.servicesMsPerOrder - 1,
            },
          ]
        : [];
    });
  const pooledCpu = (config: string) => {
    const of = runs.filter((r) => r.config === config);
    const orders = of.reduce((n, r) => n + r.orders, 0);
    return orders > 0 ? of.reduce((sum, r) => sum + r.servicesMsPerOrder * r.orders, 0) / orders : Number.NaN;
  };
  const cpuOn = pooledCpu(on);
  const cpuOff = pooledCpu(off);
  return {
    rounds,
    medianCost: median(rounds.map((r) => r.cost)),
    costSpread: spread(rounds.map((r) => r.cost)),
    medianCpuCost: median(rounds.map((r) => r.cpuCost)),
    cpuCostSpread: spread(rounds.map((r) => r.cpuCost)),
    onMedian: median(runs.filter((r) => r.config === on).map((r) => r.ordersPerSecond)),
    offMedian: median(runs.filter((r) => r.config === off).map((r) => r.ordersPerSecond)),
    cpuOn,
    cpuOff,
    cpuCost: cpuOn / cpuOff - 1,
    minBusyShare: Math.min(...runs.map((r) => r.machineBusyShare)),
    minServicesShare: Math.min(...runs.map((r) => r.servicesShareOfBusy)),
  };
}

export interface DirectCost {
  evaluationsPerOrder: number;
  freshResolutionsPerSecond: number;
  /** Workloads that each run a provider (the four services that evaluate flags). */
  providers: number;
  /** Orders per second and CPU ms per order the extra is set against (the provider-off medians). */
  ordersPerSecond: number;
  cpuMsPerOrder: number;
  /** Extra CPU ns per order with the provider on. */
  extraNsPerOrder: number;
  /** extraNsPerOrder against the services' CPU per order. */
  share: number;
}

/**
 * The provider's cost per order from below: each evaluation's extra CPU
 * (kept - off) times the evaluations an order passes, plus what each second
 * costs whatever the orders (the fresh resolutions, asked - off, and each
 * provider's background work) spread over that second's orders.
 */
export function directCost(
  evaluation: Pick<EvaluationCost, 'offNs' | 'keptNs' | 'askedNs' | 'backgroundNsPerSecond'>,
  on: { evaluationsPerOrder: number; freshResolutionsPerSecond: number; providers: number; ordersPerSecond: number; cpuMsPerOrder: number },
): DirectCost {
  const perSecondNs = on.freshResolutionsPerSecond * (evaluation.askedNs - evaluation.offNs) + on.providers * evaluation.backgroundNsPerSecond;
  const extraNsPerOrder = on.evaluationsPerOrder * (evaluation.keptNs - evaluation.offNs) + perSecondNs / on.ordersPerSecond;
  return { ...on, extraNsPerOrder, share: extraNsPerOrder / (on.cpuMsPerOrder * 1e6) };
}

export type Verdict = { verdict: 'within' | 'over' | 'inconclusive'; by: 'whole stack' | 'from below' | 'none' };

/**
 * The whole-stack run decides when its rounds agree to within the goal
 * (interquartile range of the per-round CPU cost no wider than the goal);
 * otherwise the cost from below does, when it was measured.
 */
export function verdictOf(cost: FlagCost, goal: number, direct?: DirectCost): Verdict {
  if (Number.isFinite(cost.medianCpuCost) && cost.cpuCostSpread <= goal) return { verdict: cost.medianCpuCost <= goal ? 'within' : 'over', by: 'whole stack' };
  if (direct && Number.isFinite(direct.share)) return { verdict: direct.share <= goal ? 'within' : 'over', by: 'from below' };
  return { verdict: 'inconclusive', by: 'none' };
}

const pct = (x: number, digits = 1) => (Number.isFinite(x) ? `${x >= 0 ? '+' : ''}${(x * 100).toFixed(digits)} %` : 'n/a');
const points = (x: number) => (Number.isFinite(x) ? `${(x * 100).toFixed(1)} points` : 'n/a');

/** The result as Markdown: per round, the evaluation's own cost, the cost from below and the verdict. */
export function renderFlagCost(cost: FlagCost, goal: number, on: string, off: string, evaluation?: EvaluationCost, direct?: DirectCost): string {
  const line = (cells: string[]) => `| ${cells.join(' | ')} |`;
  const throughputCost = (x: number) => pct(x).replace(/^\+/, '');
  const goalText = `${(goal * 100).toFixed(0)} %`;
  const { verdict, by } = verdictOf(cost, goal, direct);
  const verdictText = { within: '**within the goal**', over: '**over the goal**', inconclusive: '**inconclusive**' }[verdict];
  const wholeStack =
    `Whole stack: median per round ${throughputCost(cost.medianCost)} of throughput (spread ${points(cost.costSpread)}) and ${pct(cost.medianCpuCost)} CPU per order (spread ${points(cost.cpuCostSpread)}); ` +
    (cost.cpuCostSpread <= goal
      ? `the rounds agree to within the goal, so this run decides.`
      : `the rounds disagree by more than the ${goalText} being judged (the spread is the interquartile range between rounds), so on this machine the whole-stack run cannot tell; the cost from below decides.`);
  return [
    line(['round', `${on} orders/s`, `${off} orders/s`, 'throughput lost', `${on} CPU ms/order`, `${off} CPU ms/order`, 'CPU per order']),
    line(['---:', '---:', '---:', '---:', '---:', '---:', '---:']),
    ...cost.rounds.map((r) =>
      line([String(r.round), r.on.toFixed(1), r.off.toFixed(1), throughputCost(r.cost), r.cpuOn.toFixed(3), r.cpuOff.toFixed(3), pct(r.cpuCost)]),
    ),
    line([
      '**median**',
      `**${cost.onMedian.toFixed(1)}**`,
      `**${cost.offMedian.toFixed(1)}**`,
      `**${throughputCost(cost.medianCost)}**`,
      '',
      '',
      `**${pct(cost.medianCpuCost)}**`,
    ]),
    '',
    line(['measure', on, off, 'on vs off']),
    line(['---', '---:', '---:', '---:']),
    line(['the five services, CPU ms per order (rounds pooled by orders)', cost.cpuOn.toFixed(3), cost.cpuOff.toFixed(3), pct(cost.cpuCost)]),
    ...(evaluation
      ? [
          '',
          line(['round', 'FLAGS_OFF ns/evaluation', 'provider, kept ns/evaluation', 'provider, asked ns/evaluation']),
          line(['---:', '---:', '---:', '---:']),
          ...evaluation.rounds.map((r) => line([String(r.round), r.offNs.toFixed(0), r.keptNs.toFixed(0), r.askedNs.toFixed(0)])),
          line(['**median**', `**${evaluation.offNs.toFixed(0)}**`, `**${evaluation.keptNs.toFixed(0)}**`, `**${evaluation.askedNs.toFixed(0)}**`]),
        ]
      : []),
    ...(direct
      ? [
          '',
          `From below: ${direct.evaluationsPerOrder} evaluations per order (proof/bench/src/flag-call-sites.ts) × ${(evaluation!.keptNs - evaluation!.offNs).toFixed(0)} ns, ` +
            `plus, each second, ${direct.freshResolutionsPerSecond} fresh resolutions × ${(evaluation!.askedNs - evaluation!.offNs).toFixed(0)} ns and ${direct.providers} providers' background × ${(evaluation!.backgroundNsPerSecond / 1000).toFixed(1)} µs (this process idle: ${(evaluation!.idleWithoutNsPerSecond / 1000).toFixed(0)} µs of CPU a second with no provider, ${(evaluation!.idleWithNsPerSecond / 1000).toFixed(0)} µs with two${evaluation!.idleWithNsPerSecond <= evaluation!.idleWithoutNsPerSecond ? ': below the noise, counted as 0' : ''}), over ${direct.ordersPerSecond.toFixed(1)} orders/s: ` +
            `${(direct.extraNsPerOrder / 1000).toFixed(2)} µs of CPU per order, ${pct(direct.share, 2)} of the services' ${direct.cpuMsPerOrder.toFixed(3)} ms per order with the provider off.`,
        ]
      : []),
    '',
    `Goal: flags evaluated on every request cost at most ${goalText} of throughput. ${wholeStack} ` +
      `Verdict: ${verdictText}${by === 'none' ? '' : ` (decided ${by})`}. ` +
      `What is compared is the bottleneck: in every run the machine's cores were at least ${(cost.minBusyShare * 100).toFixed(0)} % busy, ` +
      `the five services at least ${(cost.minServicesShare * 100).toFixed(0)} % of that.`,
  ].join('\n');
}
