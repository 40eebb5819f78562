// `promtool test rules` cases for every alert, generated from the
// objectives and the alert windows (rules.ts). For each objective and each
// window pair of its alerts, three scenarios of synthetic traffic on the
// histogram the objective is read from (history without errors first, so
// every window is full):
//   fires     errors at 1.1x the pair's burn rate: firing from about
//             long window / 1.1 after the burn starts, not before;
//   silent    errors at 0.9x its burn rate, over 1.25 long windows: this
//             pair never fires (and nothing else does at the times checked);
//   resolves  errors at 2x its burn rate until well after it fires, then
//             none: silent again once the short window has cleared.
// What should be firing at each checked time comes from a model of the
// rules in continuous time (the error ratio over each window, from the
// scenario's phases); checks are placed at least a margin away from any
// moment the model changes its answer, where one sample either way could
// not. Traffic on another service (job) fails all the time and must never
// count.
import { type AttributeMatch, type Objective, type ObjectiveName, measuredBy } from '@shop/contracts';
import { stringify } from 'yaml';
import { histogramName, label, le } from './promql.ts';
import { ALERT_WINDOWS, type AlertWindow, type Rule, type RuleGroup, SEVERITIES, type Severity, alertName, burnRate, errorBudget, seconds } from './rules.ts';

type Labels = Record<string, string>;

/**
 * Label sets the synthetic events carry, per objective: `good` ones, and
 * `bad` ones (bad-events objectives) or the same set measured above the
 * threshold (good-within ones). examples.test... holds them to the
 * objective's matchers (`eventExamplesMatch`).
 */
export const EXAMPLE_EVENTS: Record<ObjectiveName, { good: Labels; bad: Labels }> = {
  'order-placement-availability': {
    good: { http_route: '/api/orders', http_request_method: 'POST', http_response_status_code: '201', url_scheme: 'http' },
    bad: { http_route: '/api/orders', http_request_method: 'POST', http_response_status_code: '503', url_scheme: 'http', error_type: '503' },
  },
  'order-placement-latency': {
    good: { http_route: '/api/orders', http_request_method: 'POST', http_response_status_code: '201', url_scheme: 'http' },
    bad: { http_route: '/api/orders', http_request_method: 'POST', http_response_status_code: '201', url_scheme: 'http' },
  },
  'notification-freshness': {
    good: { notification_outcome: 'sent' },
    bad: { notification_outcome: 'sent' },
  },
};

function holds(m: AttributeMatch, labels: Labels): boolean {
  const v = labels[label(m.attribute)] ?? '';
  if (m.op === '=') return v === m.value;
  if (m.op === '!=') return v !== m.value;
  const full = new RegExp(`^(?:${m.value})$`).test(v);
  return m.op === '=~' ? full : !full;
}

/** Whether the examples are events of the objective, good and bad as named (checked by the rules test). */
export function eventExamplesMatch(o: Objective): string[] {
  const { good, bad } = EXAMPLE_EVENTS[o.name];
  const problems: string[] = [];
  for (const [name, l] of Object.entries({ good, bad })) if (!o.events.every((m) => holds(m, l))) problems.push(`${o.name}: the ${name} example is no event`);
  if (o.sli.kind === 'bad-events') {
    if (o.sli.bad.every((m) => holds(m, good))) problems.push(`${o.name}: the good example is bad`);
    if (!o.sli.bad.every((m) => holds(m, bad))) problems.push(`${o.name}: the bad example is good`);
  } else if (!o.sli.good.every((m) => holds(m, good) && holds(m, bad))) problems.push(`${o.name}: the examples are not of the good kind`);
  return problems;
}

/** A stretch of traffic: `minutes` long, errors at `burn` times the budget (0: none). */
interface Phase {
  minutes: number;
  burn: number;
}

interface Scenario {
  name: string;
  pair: AlertWindow;
  phases: Phase[];
  /** The times (minutes from the start) to check, with what the model says is firing. */
  checks: { minute: number; firing: Severity[] }[];
}

const EVENTS_PER_MINUTE = 1000;

/**
 * Minutes between samples and between evaluations: a page's short window is
 * 5 minutes (two samples in it need 2 minutes or less), a ticket's windows are
 * hours and days, where one sample a minute would only make promtool slow.
 */
const STEP: Record<Severity, { sample: number; evaluation: number }> = { page: { sample: 1, evaluation: 1 }, ticket: { sample: 2, evaluation: 5 } };
const minutes = (duration: string) => seconds(duration) / 60;

/** Error ratio over the `window` minutes up to minute t, as a multiple of the budget (history before 0 has no events). */
function burnOver(phases: Phase[], t: number, window: number): number {
  const from = Math.max(0, t - window);
  if (t <= from) return 0;
  let start = 0;
  let errors = 0;
  for (const p of phases) {
    const a = Math.max(start, from);
    const b = Math.min(start + p.minutes, t);
    if (b > a) errors += (b - a) * p.burn;
    start += p.minutes;
  }
  return errors / (t - from);
}

/** The severities the model says are firing at minute t. */
function firing(o: Objective, phases: Phase[], t: number): Severity[] {
  return SEVERITIES.filter((severity) =>
    ALERT_WINDOWS.filter((w) => w.severity === severity).some((w) => {
      const rate = burnRate(w, o.windowDays);
      return burnOver(phases, t, minutes(w.long)) > rate && burnOver(phases, t, minutes(w.short)) > rate;
    }),
  );
}

/** The minutes (to a resolution of 1) at which the model's answer changes. */
function transitions(o: Objective, phases: Phase[], end: number): number[] {
  const out: number[] = [];
  let before = firing(o, phases, 0).join();
  for (let t = 1; t <= end; t++) {
    const now = firing(o, phases, t).join();
    if (now !== before) out.push(t);
    before = now;
  }
  return out;
}

/** How far from a change of the model's answer a check must be: three evaluations, or 3 % of the window. */
const margin = (pair: AlertWindow) => Math.max(3 * STEP[pair.severity].evaluation, Math.ceil(minutes(pair.long) * 0.03));

function scenarios(o: Objective): Scenario[] {
  const out: Scenario[] = [];
  for (const pair of ALERT_WINDOWS) {
    const rate = burnRate(pair, o.windowDays);
    const long = minutes(pair.long);
    // Clean history filling the longest window of the pair's severity.
    const history = Math.max(...ALERT_WINDOWS.filter((w) => w.severity === pair.severity).map((w) => minutes(w.long)));
    const m = margin(pair);
    const { sample, evaluation } = STEP[pair.severity];
    // Phases last whole samples, checks fall on evaluations.
    const whole = (x: number) => Math.ceil(x / sample) * sample;
    const end = (phases: Phase[]) => phases.reduce((n, p) => n + p.minutes, 0);
    const safe = (phases: Phase[], ts: number[]) => {
      const changes = transitions(o, phases, end(phases));
      return [...new Set(ts.map((t) => Math.floor(t / evaluation) * evaluation))]
        .filter((t) => changes.every((c) => Math.abs(c - t) >= m))
        .map((t) => ({ minute: t, firing: firing(o, phases, t) }));
    };
    const label = `${pair.severity} ${rate}x over ${pair.long} and ${pair.short}`;

    const fires: Phase[] = [
      { minutes: history, burn: 0 },
      { minutes: whole(long + 2 * m), burn: rate * 1.1 },
    ];
    const firstFiring = transitions(o, fires, end(fires)).find((t) => firing(o, fires, t).includes(pair.severity));
    if (firstFiring === undefined) throw new Error(`${o.name} ${label}: the model never fires at 1.1x`);
    const expected = history + long / 1.1;
    if (Math.abs(firstFiring - expected) > 1) throw new Error(`${o.name} ${label}: fires at ${firstFiring}, not after long/1.1 (${expected})`);
    out.push({
      name: `${label}: fires at 1.1x within ${pair.long}`,
      pair,
      phases: fires,
      checks: safe(fires, [firstFiring - m, firstFiring + m + evaluation, end(fires)]),
    });

    const under: Phase[] = [
      { minutes: history, burn: 0 },
      { minutes: whole(long * 1.25), burn: rate * 0.9 },
    ];
    const silentChecks = safe(under, [history + long / 2, history + long, end(under)]).filter((c) => !c.firing.includes(pair.severity));
    if (!silentChecks.some((c) => c.minute >= history + long)) throw new Error(`${o.name} ${label}: no check of a whole window at 0.9x`);
    out.push({ name: `${label}: silent at 0.9x`, pair, phases: under, checks: silentChecks });

    const burnFor = whole(long / 2 + 2 * m);
    const resolves: Phase[] = [
      { minutes: history, burn: 0 },
      { minutes: burnFor, burn: rate * 2 },
      { minutes: whole(minutes(pair.short) + 2 * m), burn: 0 },
    ];
    const stop = history + burnFor;
    const resolved = transitions(o, resolves, end(resolves)).find((t) => t > stop && !firing(o, resolves, t).includes(pair.severity));
    if (resolved === undefined || resolved > stop + minutes(pair.short)) throw new Error(`${o.name} ${label}: does not resolve within its short window`);
    out.push({
      name: `${label}: resolves after the errors stop`,
      pair,
      phases: resolves,
      checks: safe(resolves, [stop - m, resolved - m, resolved + m + evaluation]),
    });
  }
  return out;
}

/** A cumulative counter over the phases, a sample every `step` minutes, in promtool's expanding notation. */
function counter(phases: Phase[], step: number, perMinute: (p: Phase) => number): string {
  const num = (x: number) => String(Number(x.toFixed(6)));
  let value = 0;
  const parts: string[] = [];
  for (const [i, p] of phases.entries()) {
    const inc = perMinute(p) * step;
    const samples = p.minutes / step;
    parts.push(i === 0 ? `${num(value)}+${num(inc)}x${samples}` : `${num(value + inc)}+${num(inc)}x${samples - 1}`);
    value += inc * samples;
  }
  return parts.join(' ');
}

function seriesText(name: string, labels: Labels): string {
  return `${name}{${Object.entries(labels)
    .map(([k, v]) => `${k}=${JSON.stringify(v)}`)
    .join(', ')}}`;
}

/** The input series of a scenario: the objective's events (good and bad), and another service's failing events. */
function inputSeries(o: Objective, phases: Phase[], step: number): { series: string; values: string }[] {
  const budget = errorBudget(o);
  const job = { job: measuredBy(o) };
  const { good, bad } = EXAMPLE_EVENTS[o.name];
  const base = histogramName(o.histogram);
  const bads = (p: Phase) => EVENTS_PER_MINUTE * p.burn * budget;
  const out: { series: string; values: string }[] = [];
  const noise = { job: 'storefront', ...bad };
  if (o.sli.kind === 'bad-events') {
    out.push({ series: seriesText(`${base}_count`, { ...job, ...good }), values: counter(phases, step, (p) => EVENTS_PER_MINUTE - bads(p)) });
    out.push({ series: seriesText(`${base}_count`, { ...job, ...bad }), values: counter(phases, step, bads) });
    out.push({ series: seriesText(`${base}_count`, noise), values: counter(phases, step, () => EVENTS_PER_MINUTE) });
  } else {
    const t = le(o.sli.thresholdSeconds);
    out.push({ series: seriesText(`${base}_count`, { ...job, ...good }), values: counter(phases, step, () => EVENTS_PER_MINUTE) });
    out.push({ series: seriesText(`${base}_bucket`, { ...job, ...good, le: t }), values: counter(phases, step, (p) => EVENTS_PER_MINUTE - bads(p)) });
    out.push({ series: seriesText(`${base}_count`, noise), values: counter(phases, step, () => EVENTS_PER_MINUTE) });
    out.push({ series: seriesText(`${base}_bucket`, { ...noise, le: t }), values: counter(phases, step, () => 0) });
  }
  return out;
}

export interface PromtoolTestFile {
  /** The file name (one per objective and severity of the pair under test). */
  name: string;
  /** The alerts it checks firing, silent under the threshold, and resolving: alertname and severity. */
  covers: { alertname: string; severity: Severity; fires: boolean; silent: boolean; resolves: boolean }[];
  text: string;
}

/** The test files for a rule file at `rulesPath` (relative to the test files) holding these groups. */
export function promtoolTests(objectives: readonly Objective[], groups: RuleGroup[], rulesPath: string): PromtoolTestFile[] {
  const files: PromtoolTestFile[] = [];
  for (const o of objectives) {
    const alerts = groups.flatMap((g) => g.rules).filter((r): r is Rule & { alert: string } => r.alert === alertName(o));
    for (const severity of SEVERITIES) {
      const list = scenarios(o).filter((s) => s.pair.severity === severity);
      const { sample, evaluation } = STEP[severity];
      // Samples go on past the last check (promtool misjudges an alert at the very last sample).
      const tail = (phases: Phase[]) =>
        phases.map((p, i) => (i === phases.length - 1 ? { ...p, minutes: p.minutes + Math.ceil((3 * evaluation) / sample) * sample } : p));
      const tests = list.map((s) => ({
        name: `${o.name} ${s.name}`,
        interval: `${sample}m`,
        input_series: inputSeries(o, tail(s.phases), sample),
        alert_rule_test: s.checks.map((c) => ({
          eval_time: `${c.minute}m`,
          alertname: alertName(o),
          exp_alerts: c.firing.map((sev) => {
            const rule = alerts.find((r) => r.labels?.severity === sev)!;
            return { exp_labels: { slo: o.name, severity: sev }, exp_annotations: rule.annotations };
          }),
        })),
      }));
      files.push({
        name: `${o.name}.${severity}.test.yml`,
        covers: [
          {
            alertname: alertName(o),
            severity,
            fires: list.some((s) => s.name.includes('fires') && s.checks.some((c) => c.firing.includes(severity))),
            silent: list.some((s) => s.name.includes('silent') && s.checks.length > 0),
            resolves: list.some((s) => s.name.includes('resolves') && s.checks.some((c) => !c.firing.includes(severity))),
          },
        ],
        // Groups in the file's order at each evaluation, recordings before the alerts that read them
        // (promtool's default is random; with 5-minute steps an alert would then miss the step's records).
        text: stringify(
          { rule_files: [rulesPath], evaluation_interval: `${evaluation}m`, group_eval_order: groups.map((g) => g.name), tests },
          { lineWidth: 0 },
        ),
      });
    }
  }
  return files;
}
