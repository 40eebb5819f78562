// The bench's numbers side by side: each telemetry configuration's orders/s
// and latency, the pgbench floor, the ratios the targets are stated in, and
// whether each target was reached.

export interface RunResult {
  /** The median round's throughput (the only one, with one round). */
  ordersPerSecond: number;
  /** Each round's throughput, in run order. */
  roundsOrdersPerSecond?: number[];
  latencyMs: { p50: number; p99: number; max: number; mean: number };
  completed: number;
  succeeded: number;
  byStatus: Record<string, number>;
}

export interface ConfigResult extends RunResult {
  name: string;
  env: Record<string, string>;
  /** The same stack at a light concurrency: latency without the queueing of a saturated machine. */
  light?: RunResult & { concurrency: number };
}

export interface FloorSummary {
  tps: number;
  latencyMs: { p50: number; p99: number; mean: number };
  transactions: number;
  failed: number;
}

export interface Ratios {
  /** Throughput lost to telemetry, vs telemetry off: 1 - tput / tput(off). */
  tracingOverhead: Record<string, number>;
  /** End-to-end orders/s as a fraction of the floor's transactions/s. */
  ofFloor: Record<string, number>;
}

/** One closed-loop run: what poolRounds needs of it. */
export interface RoundSample {
  throughput: number;
  completed: number;
  succeeded: number;
  byStatus: Record<string, number>;
  latenciesMs: number[];
}

export interface LatencyPercentiles {
  p50: number;
  p99: number;
  max: number;
  mean: number;
}

/**
 * Rounds of one configuration as one result: the median round's throughput
 * (robust to one disturbed round on a shared machine), latency percentiles
 * over every round's samples pooled, counts summed.
 */
export function poolRounds(rounds: RoundSample[], percentiles: (samples: number[]) => LatencyPercentiles): RunResult {
  const throughputs = rounds.map((r) => r.throughput);
  const sorted = [...throughputs].sort((a, b) => a - b);
  const byStatus: Record<string, number> = {};
  for (const r of rounds) for (const [status, n] of Object.entries(r.byStatus)) byStatus[status] = (byStatus[status] ?? 0) + n;
  const l = percentiles(rounds.flatMap((r) => r.latenciesMs));
  return {
    ordersPerSecond: sorted.length ? sorted[Math.floor((sorted.length - 1) / 2)]! : Number.NaN,
    roundsOrdersPerSecond: throughputs,
    latencyMs: { p50: l.p50, p99: l.p99, max: l.max, mean: l.mean },
    completed: rounds.reduce((n, r) => n + r.completed, 0),
    succeeded: rounds.reduce((n, r) => n + r.succeeded, 0),
    byStatus,
  };
}

const spread = (r: RunResult) => {
  const rounds = r.roundsOrdersPerSecond ?? [];
  return rounds.length > 1 ? ` (${Math.min(...rounds).toFixed(1)}-${Math.max(...rounds).toFixed(1)})` : '';
};

export const OFF = 'off';
export const SAMPLED_01 = 'sampling 0.1';
export const SAMPLED_10 = 'sampling 1.0';
export const STOCK_01 = 'stock 0.1';

export function ratios(configs: ConfigResult[], floor: FloorSummary | undefined): Ratios {
  const off = configs.find((c) => c.name === OFF);
  const tracingOverhead: Record<string, number> = {};
  const ofFloor: Record<string, number> = {};
  for (const c of configs) {
    if (off && c.name !== OFF && off.ordersPerSecond > 0) tracingOverhead[c.name] = 1 - c.ordersPerSecond / off.ordersPerSecond;
    if (floor && floor.tps > 0) ofFloor[c.name] = c.ordersPerSecond / floor.tps;
  }
  return { tracingOverhead, ofFloor };
}

export interface Target {
  what: string;
  goal: string;
  measured: string;
  met: boolean | undefined;
}

const pct = (x: number | undefined) => (x === undefined || !Number.isFinite(x) ? 'n/a' : `${(x * 100).toFixed(1)} %`);
const ms = (x: number | undefined) => (x === undefined || !Number.isFinite(x) ? 'n/a' : `${x.toFixed(1)} ms`);

/** The targets of the speed round (issue 14): ratios within one run, latencies at sampling 0.1. */
export function targets(configs: ConfigResult[], r: Ratios, concurrency: number): Target[] {
  const overhead01 = r.tracingOverhead[SAMPLED_01];
  const overhead10 = r.tracingOverhead[SAMPLED_10];
  const stock = r.tracingOverhead[STOCK_01];
  const floorShare = r.ofFloor[SAMPLED_01];
  const sampled = configs.find((c) => c.name === SAMPLED_01);
  const judged = (x: number | undefined, ok: (x: number) => boolean) => (x === undefined || !Number.isFinite(x) ? undefined : ok(x));
  const list: Target[] = [
    { what: 'tracing overhead at sampling 0.1 (throughput drop vs off)', goal: '<= 10 %', measured: pct(overhead01), met: judged(overhead01, (x) => x <= 0.1) },
    {
      what: 'tracing overhead at sampling 1.0 (throughput drop vs off)',
      goal: '<= 25 %',
      measured: pct(overhead10),
      met: judged(overhead10, (x) => x <= 0.25),
    },
  ];
  if (stock !== undefined) {
    // Half of the stock setup's cost: ours <= stock / 2. A stock setup that
    // costs nothing leaves nothing to halve.
    list.push({
      what: 'our overhead at sampling 0.1 against the stock auto-instrumentations at 0.1',
      goal: '<= half of stock',
      measured: `${pct(overhead01)} vs ${pct(stock)}`,
      met: overhead01 === undefined ? undefined : stock > 0 && overhead01 <= stock / 2 + 1e-9,
    });
  }
  list.push(
    {
      what: 'end-to-end orders/s at sampling 0.1 as a share of the database floor',
      goal: '>= 25 %',
      measured: pct(floorShare),
      met: judged(floorShare, (x) => x >= 0.25),
    },
    {
      what: `p99 at concurrency ${concurrency}, sampling 0.1`,
      goal: '< 100 ms',
      measured: ms(sampled?.latencyMs.p99),
      met: judged(sampled?.latencyMs.p99, (x) => x < 100),
    },
  );
  if (sampled?.light) {
    const p99 = sampled.light.latencyMs.p99;
    list.push({ what: `p99 at concurrency ${sampled.light.concurrency}, sampling 0.1`, goal: '< 25 ms', measured: ms(p99), met: judged(p99, (x) => x < 25) });
  }
  return list;
}

export function markdownTable(configs: ConfigResult[], floor: FloorSummary | undefined, r: Ratios, concurrency: number): string {
  const line = (cells: string[]) => `| ${cells.join(' | ')} |`;
  const errors = (c: ConfigResult) => c.completed - c.succeeded;
  const rows = [
    line(['run', 'orders/s', 'p50', 'p99', 'errors', 'throughput vs off', 'share of DB floor']),
    line(['---', '---:', '---:', '---:', '---:', '---:', '---:']),
    ...configs.map((c) =>
      line([
        `telemetry ${c.name}`,
        c.ordersPerSecond.toFixed(1) + spread(c),
        ms(c.latencyMs.p50),
        ms(c.latencyMs.p99),
        String(errors(c)),
        c.name === OFF ? 'baseline' : `-${pct(r.tracingOverhead[c.name])}`.replace('--', '+'),
        pct(r.ofFloor[c.name]),
      ]),
    ),
  ];
  for (const c of configs.filter((x) => x.light)) {
    const l = c.light!;
    rows.push(
      line([
        `telemetry ${c.name} at concurrency ${l.concurrency}`,
        l.ordersPerSecond.toFixed(1) + spread(l),
        ms(l.latencyMs.p50),
        ms(l.latencyMs.p99),
        String(l.completed - l.succeeded),
        '',
        '',
      ]),
    );
  }
  if (floor) {
    rows.push(
      line([
        `database floor (pgbench, ${concurrency} clients)`,
        floor.tps.toFixed(1),
        ms(floor.latencyMs.p50),
        ms(floor.latencyMs.p99),
        String(floor.failed),
        '',
        '100 %',
      ]),
    );
  }
  return rows.join('\n');
}

export function markdownTargets(list: Target[]): string {
  const line = (cells: string[]) => `| ${cells.join(' | ')} |`;
  return [
    line(['target', 'goal', 'measured', 'reached']),
    line(['---', '---', '---:', '---']),
    ...list.map((t) => line([t.what, t.goal, t.measured, t.met === undefined ? 'not measured' : t.met ? 'yes' : '**no**'])),
  ].join('\n');
}
