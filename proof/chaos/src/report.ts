// The suite's verdict as a table (fault x invariant, with counts), in plain
// text for the terminal and Markdown for the results file and docs.
import { summarizeLatencies } from '@shop/load';
import { INVARIANTS, type InvariantName, type InvariantResult } from './invariants.ts';
import type { PhaseRecord } from './phase.ts';

export interface PhaseVerdict {
  record: PhaseRecord;
  /** Empty when the phase could not be checked (see record.error). */
  results: InvariantResult[];
  ok: boolean;
}

export interface PhaseSummary {
  fault: string;
  orders: number;
  attempts: number;
  created: number;
  byStatus: Record<string, number>;
  finalStatuses: Record<string, number>;
  latencyMs: { p50: number; p99: number; max: number };
  restartSeconds: number | null;
  recoverySeconds: number | null;
  deadLetters: number;
}

const round = (x: number, digits = 1) => (Number.isFinite(x) ? Math.round(x * 10 ** digits) / 10 ** digits : NaN);

function countBy<T>(items: readonly T[], key: (item: T) => string): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const item of items) counts[key(item)] = (counts[key(item)] ?? 0) + 1;
  return Object.fromEntries(Object.entries(counts).sort(([a], [b]) => a.localeCompare(b, 'en', { numeric: true })));
}

export function summarizePhase(verdict: PhaseVerdict, deadLetters: number): PhaseSummary {
  const { record } = verdict;
  const latency = summarizeLatencies(record.attempts.map((a) => a.latencyMs));
  return {
    fault: record.fault,
    orders: record.load?.logicalOrders ?? 0,
    attempts: record.attempts.length,
    created: record.snapshot?.orders.filter((o) => o.status === 'created').length ?? 0,
    byStatus: countBy(record.attempts, (a) => String(a.outcome) + (a.error && a.outcome !== 201 ? ` ${a.error}` : '')),
    finalStatuses: countBy(record.snapshot?.orders ?? [], (o) => o.status + (o.failureReason ? ` (${o.failureReason})` : '')),
    latencyMs: { p50: round(latency.p50, 0), p99: round(latency.p99, 0), max: round(latency.max, 0) },
    restartSeconds: record.restart ? round(record.restart.ms / 1000) : null,
    recoverySeconds: record.recovery.settled ? round(record.recovery.ms / 1000) : null,
    deadLetters,
  };
}

const NAMES = Object.keys(INVARIANTS) as InvariantName[];

function cell(result: InvariantResult | undefined): string {
  if (!result) return 'n/a';
  return result.violations === 0 ? `ok ${result.checked}` : `FAIL ${result.violations}/${result.checked}`;
}

function rows(verdicts: PhaseVerdict[], summaries: PhaseSummary[]): string[][] {
  return verdicts.map((v, i) => {
    const s = summaries[i]!;
    const byName = new Map(v.results.map((r) => [r.name, r]));
    return [
      s.fault,
      String(s.orders),
      String(s.created),
      String(s.attempts - (s.byStatus['201'] ?? 0)),
      `${s.latencyMs.p99} / ${s.latencyMs.max}`,
      s.restartSeconds === null ? '-' : `${s.restartSeconds}`,
      s.recoverySeconds === null ? 'NO' : `${s.recoverySeconds}`,
      ...NAMES.map((n) => (v.record.error && !v.results.length ? 'not run' : cell(byName.get(n)))),
    ];
  });
}

const HEADER = ['fault', 'orders', 'created', 'non-201', 'p99/max ms', 'restart s', 'settled s', ...NAMES];

export function renderText(verdicts: PhaseVerdict[], summaries: PhaseSummary[]): string {
  const table = [HEADER, ...rows(verdicts, summaries)];
  const widths = HEADER.map((_, c) => Math.max(...table.map((r) => r[c]!.length)));
  return table
    .map((r) =>
      r
        .map((x, c) => x.padEnd(widths[c]!))
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}

export function renderMarkdown(verdicts: PhaseVerdict[], summaries: PhaseSummary[]): string {
  const line = (cells: string[]) => `| ${cells.join(' | ')} |`;
  return [line(HEADER), line(HEADER.map(() => '---')), ...rows(verdicts, summaries).map(line)].join('\n');
}

/** Every violation, in words, under its fault and invariant. */
export function renderViolations(verdicts: PhaseVerdict[]): string[] {
  const lines: string[] = [];
  for (const v of verdicts) {
    if (v.record.error) lines.push(`${v.record.fault}: phase error: ${v.record.error}`);
    for (const r of v.results) {
      if (r.violations === 0) continue;
      lines.push(`${v.record.fault} / ${r.name}: ${r.violations} of ${r.checked}`);
      for (const example of r.examples) lines.push(`    ${example}`);
    }
  }
  return lines;
}

export function invariantLegend(): string[] {
  return NAMES.map((n) => `${n}: ${INVARIANTS[n]}`);
}
