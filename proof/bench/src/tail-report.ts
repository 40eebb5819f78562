// The markdown report of `make bench-tail` (tail.ts): what a variant's run
// measured, and where its slowest orders spent the time their median ones
// did not.
import type { LatencySummary } from '@shop/load';
import type { Breakdown } from './tail-breakdown.ts';

export interface TracedOrder {
  traceId: string;
  latencyMs: number;
}

/** One variant of a run, analysed. */
export interface TailAnalysis {
  name: string;
  throughput: number;
  latency: LatencySummary;
  /** Shares of the run in which some task waited for a CPU, for I/O (PSI); null without PSI. */
  cpuPressureShare: number | null;
  ioPressureShare: number | null;
  machineBusyShare: number;
  /** Whether at least the minimum group reached the p99 (else the group is the slowest few). */
  tailReachedP99: boolean;
  tailMeanMs: number;
  medianMeanMs: number;
  tail: (TracedOrder & { parts: Breakdown })[];
  median: (TracedOrder & { parts: Breakdown })[];
  /** Each part's mean over the median and the slowest orders, by how much it grows. */
  parts: { part: string; median: number; tail: number }[];
}

/** How the run was made, for the report's first line. */
export interface TailRun {
  concurrency: number;
  rounds: number;
  measureSeconds: number;
  warmupSeconds: number;
  /** Share of the orders the client traced. */
  traced: number;
  minGroup: number;
  /** The machine's load before and after. */
  before: string;
  after: string;
}

/** The report of a run: one row per variant, then each variant's parts from its median to its slowest orders. */
export function renderTail(results: readonly TailAnalysis[], run: TailRun): string {
  const pct = (share: number | null) => (share === null ? 'n/a' : `${(share * 100).toFixed(1)} %`);
  const sections = results.map((r) => {
    const growth = r.tailMeanMs - r.medianMeanMs;
    return [
      `### ${r.name}`,
      '',
      `The slowest traced orders (${r.tail.length}, ${r.tailReachedP99 ? 'at or above the p99' : `the slowest ${run.minGroup}: fewer reached the p99`}), mean ${r.tailMeanMs.toFixed(1)} ms, against ${r.median.length} traced orders around the median, mean ${r.medianMeanMs.toFixed(1)} ms: each part's mean, in ms, by how much it grows.`,
      '',
      '| part | median orders | slowest orders | growth | share of the growth |',
      '| --- | ---: | ---: | ---: | ---: |',
      ...r.parts.map(
        (p) =>
          `| ${p.part} | ${p.median.toFixed(2)} | ${p.tail.toFixed(2)} | ${(p.tail - p.median).toFixed(2)} | ${growth > 0 ? `${(((p.tail - p.median) / growth) * 100).toFixed(0)} %` : 'n/a'} |`,
      ),
      '',
      `The slowest orders' traces: ${r.tail.map((t) => `\`${t.traceId}\` (${t.latencyMs.toFixed(0)} ms)`).join(', ')}.`,
    ].join('\n');
  });
  return [
    `Tail ${new Date().toISOString()}: ${run.concurrency} in flight, ${run.rounds} round${run.rounds > 1 ? 's' : ''} of ${run.measureSeconds} s per variant${results.length > 1 ? ' (interleaved)' : ''} after a ${run.warmupSeconds} s warm-up, stack env as \`make bench\`, ${run.traced * 100} % of the orders traced (the client's sampled traceparent; the services' own ratio 0). ` +
      `Machine: before ${run.before}, after ${run.after}.`,
    '',
    '| variant | orders/s | p50 | p99 | max | some task waited for a CPU | for I/O | machine busy |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
    ...results.map(
      (r) =>
        `| ${r.name} | ${r.throughput.toFixed(1)} | ${r.latency.p50.toFixed(1)} ms | ${r.latency.p99.toFixed(1)} ms | ${r.latency.max.toFixed(1)} ms | ${pct(r.cpuPressureShare)} | ${pct(r.ioPressureShare)} | ${pct(r.machineBusyShare)} |`,
    ),
    '',
    `The waits are the share of the time in which at least one task waited (PSI "some", /proc/pressure). "own" is a service's SERVER span less its database, Redis and HTTP calls: its CPU, and its waits for the CPU and the event loop. A hop is the CLIENT span less the callee's SERVER span. "client <-> gateway" is the load generator's latency less the gateway's SERVER span.`,
    '',
    ...sections.flatMap((section) => [section, '']),
  ].join('\n');
}
