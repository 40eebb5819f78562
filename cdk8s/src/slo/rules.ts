// The Prometheus rules of the service level objectives, generated from the
// contracts' table: per objective, the SLI's error ratio recorded over every
// window an alert reads, its 30-day ratio and error budget (the dashboard's),
// and multiwindow multi-burn-rate alerts as the SRE workbook sets them
// (chapter "Alerting on SLOs"): page when 2 % of the 30-day budget burns in
// an hour (14.4x over 1 h and 5 min) or 5 % in six hours (6x over 6 h and
// 30 min), ticket when 10 % burns in three days (1x over 3 d and 6 h). The
// long window makes an alert significant, the short one (1/12 of it) lets it
// resolve soon after the burn stops.
//
// The rules follow Sloth's layout and formulas (sloth.test.ts generates the
// same objectives with Sloth v0.16.0 and compares, difference by
// difference); names are ours: label `slo` for sloth_id, `slo_window` for
// sloth_window.
import { OBJECTIVES, type Objective } from '@shop/contracts';
import { stringify } from 'yaml';
import { errorRatio } from './promql.ts';

export type Severity = 'page' | 'ticket';

/** One pair of windows of an alert: it fires when the error ratio is over burnRate x the budget in both. */
export interface AlertWindow {
  severity: Severity;
  long: string;
  short: string;
  /** The share of the period's error budget that burning this fast over the long window spends. */
  budgetSpent: number;
}

/** The SRE workbook's recommendation (table 5-8) for a 30-day objective. */
export const ALERT_WINDOWS: readonly AlertWindow[] = [
  { severity: 'page', long: '1h', short: '5m', budgetSpent: 0.02 },
  { severity: 'page', long: '6h', short: '30m', budgetSpent: 0.05 },
  { severity: 'ticket', long: '3d', short: '6h', budgetSpent: 0.1 },
];
export const SEVERITIES: readonly Severity[] = ['page', 'ticket'];

const UNIT_SECONDS: Record<string, number> = { m: 60, h: 3600, d: 86400 };
/** Seconds of a Prometheus duration (5m, 6h, 3d, 30d). */
export function seconds(duration: string): number {
  const m = /^(\d+)([mhd])$/.exec(duration);
  if (!m) throw new Error(`not a duration: ${duration}`);
  return Number(m[1]) * UNIT_SECONDS[m[2]!]!;
}

/** How many times faster than the budget allows: budgetSpent of the period in the long window. */
export function burnRate(w: AlertWindow, periodDays: number): number {
  return Number(((w.budgetSpent * periodDays * 86400) / seconds(w.long)).toFixed(6));
}

/** The windows the error ratio is recorded over: every window of the alerts, shortest first. */
export function sliWindows(windows: readonly AlertWindow[] = ALERT_WINDOWS): string[] {
  return [...new Set(windows.flatMap((w) => [w.short, w.long]))].sort((a, b) => seconds(a) - seconds(b));
}

/** The error budget, as Prometheus and Sloth write it (0.005, not 0.0050000000000000044). */
export function errorBudget(o: Objective): number {
  return Number((1 - o.target).toFixed(10));
}

export const periodWindow = (o: Objective): string => `${o.windowDays}d`;

/** The record names (Sloth's). */
export const RECORD = {
  errorRatio: (window: string) => `slo:sli_error:ratio_rate${window}`,
  objective: 'slo:objective:ratio',
  errorBudget: 'slo:error_budget:ratio',
  periodDays: 'slo:time_period:days',
  currentBurnRate: 'slo:current_burn_rate:ratio',
  periodBurnRate: 'slo:period_burn_rate:ratio',
  budgetRemaining: 'slo:period_error_budget_remaining:ratio',
} as const;

/** The SLO dashboard (dashboards/index.ts) the alerts' runbooks point at. */
export const SLO_DASHBOARD = { uid: 'otel-shop-slo', title: 'otel-shop / Service level objectives' } as const;

/** The alert of an objective (one name, a `severity` label per window kind, as Sloth does). */
export function alertName(o: Objective): string {
  return `${o.name.replace(/(^|-)([a-z])/g, (_m, _d, c: string) => c.toUpperCase())}BudgetBurn`;
}

export interface Rule {
  record?: string;
  alert?: string;
  expr: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
}
export interface RuleGroup {
  name: string;
  rules: Rule[];
}

const sel = (o: Objective) => `{slo="${o.name}"}`;

function alertExpr(o: Objective, severity: Severity, windows: readonly AlertWindow[]): string {
  const budget = errorBudget(o);
  const over = (window: string, rate: number) => `max(${RECORD.errorRatio(window)}${sel(o)} > (${rate} * ${budget})) without (slo_window)`;
  return windows
    .filter((w) => w.severity === severity)
    .map((w) => {
      const rate = burnRate(w, o.windowDays);
      return `(\n    ${over(w.short, rate)}\n    and\n    ${over(w.long, rate)}\n)`;
    })
    .join('\nor\n');
}

function annotations(o: Objective, severity: Severity): Record<string, string> {
  const windows = ALERT_WINDOWS.filter((w) => w.severity === severity);
  const pairs = windows.map((w) => `${burnRate(w, o.windowDays)}x over ${w.long} and ${w.short}`).join(', or ');
  const longest = windows[0]!.long;
  return {
    summary: `${o.title}: the ${o.windowDays}-day error budget burns too fast (${severity}).`,
    description: `${o.promise} Bad events are using up the error budget (${Number((errorBudget(o) * 100).toFixed(3))} % of events) ${pairs} faster than the ${o.windowDays} days allow.`,
    runbook: `Grafana dashboard "${SLO_DASHBOARD.title}" (/d/${SLO_DASHBOARD.uid}), row "${o.title}": budget left, burn rates, bad events by cause. In Prometheus, the error ratio: ${errorRatio(o, longest).replace(/\n/g, ' ')}. What to do: docs/slo.md#${o.name}.`,
    dashboard: `/d/${SLO_DASHBOARD.uid}`,
  };
}

/**
 * The three groups of one objective: SLI recordings, metadata (budget),
 * alerts. The windows are the workbook's; sloth.test.ts passes Sloth's
 * defaults to show the rest is Sloth's.
 */
export function objectiveRuleGroups(o: Objective, windows: readonly AlertWindow[] = ALERT_WINDOWS): RuleGroup[] {
  const labels = (extra: Record<string, string> = {}) => ({ slo: o.name, ...extra });
  const period = periodWindow(o);
  const recorded = sliWindows(windows);
  const fiveMinutes = `${RECORD.errorRatio(recorded[0]!)}${sel(o)}`;
  return [
    {
      name: `slo-sli-recordings-${o.name}`,
      rules: [
        ...recorded.map((w) => ({ record: RECORD.errorRatio(w), expr: errorRatio(o, w), labels: labels({ slo_window: w }) })),
        {
          // The period's ratio from the shortest window's (Sloth's: 30 days of raw rates would be costly to evaluate every 15 s).
          record: RECORD.errorRatio(period),
          expr: `sum_over_time(${fiveMinutes}[${period}])\n/ ignoring (slo_window)\ncount_over_time(${fiveMinutes}[${period}])`,
          labels: labels({ slo_window: period }),
        },
      ],
    },
    {
      name: `slo-meta-recordings-${o.name}`,
      rules: [
        { record: RECORD.objective, expr: `vector(${o.target})`, labels: labels() },
        { record: RECORD.errorBudget, expr: `vector(1-${o.target})`, labels: labels() },
        { record: RECORD.periodDays, expr: `vector(${o.windowDays})`, labels: labels() },
        {
          record: RECORD.currentBurnRate,
          expr: `${fiveMinutes}\n/ on(slo) group_left\n${RECORD.errorBudget}${sel(o)}`,
          labels: labels(),
        },
        {
          record: RECORD.periodBurnRate,
          expr: `${RECORD.errorRatio(period)}${sel(o)}\n/ on(slo) group_left\n${RECORD.errorBudget}${sel(o)}`,
          labels: labels(),
        },
        { record: RECORD.budgetRemaining, expr: `1 - ${RECORD.periodBurnRate}${sel(o)}`, labels: labels() },
      ],
    },
    {
      name: `slo-alerts-${o.name}`,
      rules: SEVERITIES.map((severity) => ({
        alert: alertName(o),
        expr: alertExpr(o, severity, windows),
        labels: { severity },
        annotations: annotations(o, severity),
      })),
    },
  ];
}

/** Every objective's rules, or those of the objectives a stack runs (no notification service: no freshness). */
export function sloRuleGroups(objectives: readonly Objective[] = OBJECTIVES): RuleGroup[] {
  return objectives.flatMap((o) => objectiveRuleGroups(o));
}

/** A Prometheus rule file. */
export function ruleFile(groups: RuleGroup[]): string {
  return stringify({ groups }, { lineWidth: 0 });
}
