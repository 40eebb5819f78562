// The objectives of @shop/contracts (objectives.ts) in PromQL: the series
// each is read from (histograms as the collector's prometheus exporter names
// them, attributes as labels, the recording service as `job`), the error and
// total rates of its SLI over a window, and the selections of its bad events
// by cause. The rules (rules.ts), the Sloth spec they are checked against
// (sloth.ts) and the SLO dashboard all take their queries from here.
import { type AttributeMatch, type Histogram, type Objective, SERVICES } from '@shop/contracts';

/** The Prometheus base name of a histogram in seconds (otlptranslator: dots to underscores, unit suffix). */
export function histogramName(h: Histogram): string {
  return `${h.instrument.replace(/[^A-Za-z0-9]+/g, '_')}_seconds`;
}

/** An OTel attribute as a Prometheus label. */
export const label = (attribute: string): string => attribute.replace(/[^A-Za-z0-9]+/g, '_');

/**
 * A bucket boundary as Prometheus 3 stores `le` (OpenMetrics canonical
 * numbers: 60 is "60.0", 0.5 stays "0.5"), so an equality matcher finds it.
 */
export function le(seconds: number): string {
  return Number.isInteger(seconds) ? `${seconds}.0` : String(seconds);
}

function matcher(m: AttributeMatch): string {
  return `${label(m.attribute)}${m.op}${JSON.stringify(m.value)}`;
}

/** `name{job="...",...}`: a series of the objective's histogram, its events narrowed by `extra`. */
export function series(o: Objective, suffix: '_count' | '_bucket', extra: readonly AttributeMatch[] = [], bucket?: number): string {
  const matchers = [`job=${JSON.stringify(SERVICES[o.histogram.service].otelName)}`, ...[...o.events, ...extra].map(matcher)];
  if (bucket !== undefined) matchers.push(`le="${le(bucket)}"`);
  return `${histogramName(o.histogram)}${suffix}{${matchers.join(',')}}`;
}

/** The window placeholder of a query template (Sloth's). */
export const WINDOW = '{{.window}}';

/**
 * The rate of bad events over `window` (a duration, or WINDOW for a
 * template): never empty while there are events, so a window without a bad
 * one is a 0, not a gap (which would leave the 30-day average over the bad
 * times alone).
 */
export function errorRate(o: Objective, window: string): string {
  if (o.sli.kind === 'bad-events') return `(sum(rate(${series(o, '_count', o.sli.bad)}[${window}])) or vector(0))`;
  const good = series(o, '_bucket', o.sli.good, o.sli.thresholdSeconds);
  return `(sum(rate(${series(o, '_count')}[${window}])) - (sum(rate(${good}[${window}])) or vector(0)))`;
}

/**
 * The rate of all events over `window`; empty when there were none, so an
 * idle window records no ratio (0/0 would record NaN, and one NaN makes the
 * 30-day average NaN for 30 days).
 */
export function totalRate(o: Objective, window: string): string {
  return `(sum(rate(${series(o, '_count')}[${window}])) > 0)`;
}

/** The share of bad events over a window, from the raw series (what the recording rules record). */
export function errorRatio(o: Objective, window: string): string {
  return `(${errorRate(o, window)})\n/\n(${totalRate(o, window)})`;
}

/** Each cause of bad events over a range: a legend and a query (Grafana's `$__range` by default). */
export function causeQueries(o: Objective, range = '$__range'): { legend: string; expr: string }[] {
  return o.causes.map((c) => {
    const inc = (s: string) => `sum(increase(${s}[${range}]))`;
    const matches = c.matches ?? [];
    if (c.byAttribute) {
      const by = label(c.byAttribute);
      return { legend: `{{${by}}}`, expr: `sum by (${by}) (increase(${series(o, '_count', matches)}[${range}]))` };
    }
    if (c.slowerThan !== undefined) {
      const above = c.upTo === undefined ? inc(series(o, '_count', matches)) : inc(series(o, '_bucket', matches, c.upTo));
      return { legend: c.name, expr: `${above} - ${inc(series(o, '_bucket', matches, c.slowerThan))}` };
    }
    return { legend: c.name, expr: inc(series(o, '_count', matches)) };
  });
}
