// The end of `shopctl load`: what was offered, what came back, how fast.
import { formatMs } from '../cli/duration.ts';
import { PLAIN, type Style } from '../cli/style.ts';
import { isSuccess, outcomeCounts, summarizeLatencies, type LatencySummary, type LoadResult } from '@shop/load';

export interface LoadSummary {
  planned: number;
  sent: number;
  completed: number;
  notSent: number;
  succeeded: number;
  failed: number;
  interrupted: boolean;
  elapsedMs: number;
  offeredRate: number;
  throughput: number;
  successThroughput: number;
  latency: LatencySummary;
  /** Every outcome, as "201", "429", "network-error", "timeout". */
  byStatus: Record<string, number>;
  errorsByStatus: Record<string, number>;
}

export function summarizeLoad(result: LoadResult): LoadSummary {
  const entries = [...result.outcomes.entries()];
  const succeeded = entries.filter(([o]) => isSuccess(o)).reduce((n, [, c]) => n + c, 0);
  const seconds = result.elapsedMs / 1000;
  return {
    planned: result.plannedTotal,
    sent: result.started,
    completed: result.completed,
    notSent: result.notSent,
    succeeded,
    failed: result.completed - succeeded,
    interrupted: result.interrupted,
    elapsedMs: result.elapsedMs,
    offeredRate: result.plan.ratePerSecond,
    throughput: seconds > 0 ? result.completed / seconds : 0,
    successThroughput: seconds > 0 ? succeeded / seconds : 0,
    latency: summarizeLatencies(result.latenciesMs),
    byStatus: outcomeCounts(entries),
    errorsByStatus: outcomeCounts(entries.filter(([o]) => !isSuccess(o))),
  };
}

const counts = (record: Record<string, number>) =>
  Object.entries(record)
    .map(([status, n]) => `${status} × ${n}`)
    .join(' · ') || 'none';

export function renderLoadSummary(summary: LoadSummary, style: Style = PLAIN): string[] {
  const pct = summary.completed ? ((summary.failed / summary.completed) * 100).toFixed(1) : '0.0';
  const l = summary.latency;
  const lines = [
    `${summary.interrupted ? style.yellow('interrupted') : 'finished'} after ${formatMs(summary.elapsedMs)}: ${summary.sent} sent of ${summary.planned} planned, ${summary.completed} answered${summary.notSent ? `, ${style.yellow(`${summary.notSent} not sent (concurrency cap)`)}` : ''}`,
    `  throughput   ${summary.throughput.toFixed(1)} req/s answered, ${summary.successThroughput.toFixed(1)} req/s succeeded (offered ${summary.offeredRate} req/s)`,
    l.count
      ? `  latency      p50 ${formatMs(l.p50)} · p95 ${formatMs(l.p95)} · p99 ${formatMs(l.p99)} · max ${formatMs(l.max)} (${l.count} HTTP answers)`
      : '  latency      no HTTP answers',
    `  by status    ${counts(summary.byStatus)}`,
    `  errors       ${summary.failed ? style.red(`${summary.failed} (${pct} %): ${counts(summary.errorsByStatus)}`) : style.green('none')}`,
  ];
  return lines;
}

export function loadSummaryJson(summary: LoadSummary): Record<string, unknown> {
  const r = (x: number) => (Number.isFinite(x) ? Math.round(x * 100) / 100 : null);
  return {
    planned: summary.planned,
    sent: summary.sent,
    completed: summary.completed,
    not_sent: summary.notSent,
    succeeded: summary.succeeded,
    failed: summary.failed,
    interrupted: summary.interrupted,
    elapsed_ms: r(summary.elapsedMs),
    offered_rate: summary.offeredRate,
    throughput_rps: r(summary.throughput),
    success_throughput_rps: r(summary.successThroughput),
    latency_ms: {
      count: summary.latency.count,
      p50: r(summary.latency.p50),
      p95: r(summary.latency.p95),
      p99: r(summary.latency.p99),
      max: r(summary.latency.max),
      mean: r(summary.latency.mean),
    },
    by_status: summary.byStatus,
    errors_by_status: summary.errorsByStatus,
  };
}
