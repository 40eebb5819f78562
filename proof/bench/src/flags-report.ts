// `make bench-flags` in numbers: the fault flags' provider on against off,
// the same build, rounds interleaved. The cost is stated as ratios within
// the run (a shared 2-core machine's absolute speed drifts): throughput lost
// per round, each "on" run against the "off" run beside it, the median of
// those; and the services' CPU per order, on against off.

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
  rounds: { round: number; on: number; off: number; cost: number }[];
  /** Median over the rounds of 1 - on/off. */
  medianCost: number;
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
      return a && b && b.ordersPerSecond > 0 ? [{ round, on: a.ordersPerSecond, off: b.ordersPerSecond, cost: 1 - a.ordersPerSecond / b.ordersPerSecond }] : [];
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
    onMedian: median(runs.filter((r) => r.config === on).map((r) => r.ordersPerSecond)),
    offMedian: median(runs.filter((r) => r.config === off).map((r) => r.ordersPerSecond)),
    cpuOn,
    cpuOff,
    cpuCost: cpuOn / cpuOff - 1,
    minBusyShare: Math.min(...runs.map((r) => r.machineBusyShare)),
    minServicesShare: Math.min(...runs.map((r) => r.servicesShareOfBusy)),
  };
}

const pct = (x: number) => (Number.isFinite(x) ? `${x >= 0 ? '+' : ''}${(x * 100).toFixed(1)} %` : 'n/a');

/** The result as Markdown: per round, then the ratios and the goal. */
export function renderFlagCost(cost: FlagCost, goal: number, on: string, off: string): string {
  const line = (cells: string[]) => `| ${cells.join(' | ')} |`;
  const throughputCost = (x: number) => pct(x).replace(/^\+/, '');
  return [
    line(['round', `${on} orders/s`, `${off} orders/s`, 'throughput lost with the provider on']),
    line(['---:', '---:', '---:', '---:']),
    ...cost.rounds.map((r) => line([String(r.round), r.on.toFixed(1), r.off.toFixed(1), throughputCost(r.cost)])),
    line(['**median**', `**${cost.onMedian.toFixed(1)}**`, `**${cost.offMedian.toFixed(1)}**`, `**${throughputCost(cost.medianCost)}**`]),
    '',
    line(['measure', on, off, 'on vs off']),
    line(['---', '---:', '---:', '---:']),
    line(['the five services, CPU ms per order', cost.cpuOn.toFixed(3), cost.cpuOff.toFixed(3), pct(cost.cpuCost)]),
    '',
    `Goal: flags evaluated on every request cost at most ${(goal * 100).toFixed(0)} % of throughput. ` +
      `Median throughput lost per round: ${throughputCost(cost.medianCost)}, ${Number.isFinite(cost.medianCost) ? (cost.medianCost <= goal ? '**within the goal**' : '**over the goal**') : 'not measured'}; ` +
      `the services' CPU per order: ${pct(cost.cpuCost)}. ` +
      `What is compared is the bottleneck: in every run the machine's cores were at least ${(cost.minBusyShare * 100).toFixed(0)} % busy, ` +
      `the five services at least ${(cost.minServicesShare * 100).toFixed(0)} % of that.`,
  ].join('\n');
}
