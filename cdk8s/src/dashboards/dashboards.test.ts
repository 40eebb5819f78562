// Every metric a dashboard (or a Grafana trace-to-metrics link) queries is
// one the system emits, under the exact name Prometheus stores:
//   - the services' own instruments, found in services/*/src and in the
//     libraries they run (packages/*/src: the kit's HTTP server and
//     PostgreSQL histograms) (createCounter, createHistogram, ...), translated as collector-contrib's prometheus
//     exporter does (github.com/prometheus/otlptranslator, UnderscoreEscapingWithSuffixes):
//     non-alphanumerics to `_`, a unit suffix (s -> seconds; `{...}` units
//     add none), counters +`_total`, gauges of unit "1" +`_ratio`,
//     histograms as `_bucket`/`_sum`/`_count`;
//   - the span metrics connector's, from the collector config (namespace, unit);
//   - the kafka_metrics receiver's, for the scrapers the collector config enables;
//   - the SLO recording rules' (src/slo/rules.ts), with the labels they record.
// The SLO rules' own queries are checked the same way: every raw series an
// objective is read from is one a service emits, with the labels matched.
// Labels a query filters or groups by must exist on the metric too, and the
// services, span names, statuses and kinds a span-metrics query selects
// must be ones the system gives (the contracts' names).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { OBJECTIVES, SERVICES, SERVICE_NAMES, SPANS, STOREFRONT, STOREFRONT_SPANS, STOREFRONT_WEB_SPANS } from '@shop/contracts';
import { parse } from 'yaml';
import { collectorConfig } from '../constructs/otel-collector.ts';
import { datasources } from '../constructs/grafana.ts';
import { DEV_VALUES, mergeValues, type Values } from '../model/values.ts';
import { DASHBOARDS, RED, SLO, dashboardsFor, deployedInCluster } from './index.ts';
import { expressions } from './builder.ts';
import { ROOT, objects, type Obj } from '../../test/test-support.ts';
import { sliWindows, sloRuleGroups } from '../slo/rules.ts';

type Kind = 'counter' | 'updowncounter' | 'histogram' | 'gauge';

const UNITS: Record<string, string> = {
  d: 'days',
  h: 'hours',
  min: 'minutes',
  s: 'seconds',
  ms: 'milliseconds',
  us: 'microseconds',
  ns: 'nanoseconds',
  By: 'bytes',
  KiBy: 'kibibytes',
  MiBy: 'mebibytes',
  GiBy: 'gibibytes',
  KBy: 'kilobytes',
  MBy: 'megabytes',
  GBy: 'gigabytes',
  m: 'meters',
  V: 'volts',
  A: 'amperes',
  J: 'joules',
  W: 'watts',
  g: 'grams',
  Cel: 'celsius',
  Hz: 'hertz',
  '1': '',
  '%': 'percent',
};

/** Prometheus names of one OTel metric (otlptranslator normalizeName + type suffixes). */
export function prometheusNames(name: string, unit: string, kind: Kind): string[] {
  let tokens = name.split(/[^A-Za-z0-9:]+/).filter(Boolean);
  const [main, per] = unit.split('/', 2).map((u) => u?.trim() ?? '');
  const clean = (u: string) =>
    u
      .replace(/[^A-Za-z0-9:]+/g, '_')
      .replace(/_+/g, '_')
      .replace(/^_|_$/g, '');
  const mainSuffix = main && !/[{}]/.test(main) ? clean(UNITS[main] ?? main) : '';
  const perSuffix = per && !/[{}]/.test(per) ? clean({ s: 'second', m: 'minute', h: 'hour', d: 'day', w: 'week', mo: 'month', y: 'year' }[per] ?? per) : '';
  if (mainSuffix && !tokens.includes(mainSuffix)) tokens.push(mainSuffix);
  if (perSuffix && !tokens.includes(perSuffix)) tokens.push('per', perSuffix);
  if (kind === 'counter') tokens = [...tokens.filter((t) => t !== 'total'), 'total'];
  if (unit === '1' && kind === 'gauge') tokens = [...tokens.filter((t) => t !== 'ratio'), 'ratio'];
  const base = tokens.join('_');
  return kind === 'histogram' ? [`${base}_bucket`, `${base}_sum`, `${base}_count`] : [base];
}

interface Emitted {
  name: string;
  labels: Set<string> | 'any';
  source: string;
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    if (statSync(p).isDirectory()) return f === 'node_modules' ? [] : sourceFiles(p);
    return f.endsWith('.ts') && !f.endsWith('.test.ts') ? [p] : [];
  });
}

const CREATE = /\.create(Counter|UpDownCounter|Histogram|Gauge|ObservableGauge|ObservableCounter|ObservableUpDownCounter)\(\s*'([^']+)'/g;
const KINDS: Record<string, Kind> = {
  Counter: 'counter',
  ObservableCounter: 'counter',
  UpDownCounter: 'updowncounter',
  ObservableUpDownCounter: 'updowncounter',
  Histogram: 'histogram',
  Gauge: 'gauge',
  ObservableGauge: 'gauge',
};

// `'key': v`, `key: v`, `{ key }`, and `attributes['key'] = v` (set one by one).
const KEY = /'([a-z][a-z0-9_.]*)'\s*:|\b([a-z][a-z0-9_]*)\s*:|[{,]\s*([a-z][a-z0-9_]*)\s*(?=[,}])|\[\s*'([a-z][a-z0-9_.]*)'\s*\]\s*=(?!=)/g;
function keysIn(text: string): Set<string> {
  const keys = new Set<string>();
  for (const k of text.matchAll(KEY)) keys.add((k[1] ?? k[2] ?? k[3] ?? k[4])!.replace(/\./g, '_'));
  return keys;
}

/**
 * The services' instruments (and their libraries'): name, unit and kind from
 * the create call. Their labels: the attribute keys of every
 * `<instrument>.add(...)`/`.record(...)` in the workspace, plus the keys
 * written in the defining file (attributes passed as a variable are built
 * there).
 */
function serviceMetrics(): Emitted[] {
  const out: Emitted[] = [];
  const workspaces = ['services', 'packages'].flatMap((parent) => readdirSync(join(ROOT, parent)).map((name) => join(ROOT, parent, name)));
  for (const dir of workspaces) {
    if (!statSync(dir).isDirectory()) continue;
    let files: string[];
    try {
      files = sourceFiles(join(dir, 'src'));
    } catch {
      continue;
    }
    const texts = files.map((f) => readFileSync(f, 'utf8'));
    for (const [i, file] of files.entries()) {
      const text = texts[i]!;
      for (const m of text.matchAll(CREATE)) {
        // The options object of this call: up to the call's closing parenthesis.
        let depth = 0;
        let end = m.index! + m[0].length;
        for (let j = text.indexOf('(', m.index!); j < text.length; j++) {
          if (text[j] === '(') depth++;
          if (text[j] === ')' && --depth === 0) {
            end = j;
            break;
          }
        }
        const unit = /\bunit:\s*'([^']*)'/.exec(text.slice(m.index!, end))?.[1] ?? '';
        // The variable or property it is stored in: `x = `, `x ??= `, `x: `,
        // or the getter `x = onFirstUse(() => ...)` that makes it on first use.
        const holder = /([A-Za-z_$][A-Za-z0-9_$]*)\s*(?:\?\?=|=|:)\s*(?:onFirstUse\(\(\)\s*=>\s*)?(?:[A-Za-z_$.()]*)$/.exec(
          text.slice(Math.max(0, m.index! - 120), m.index!),
        )?.[1];
        const labels = keysIn(text);
        if (holder) {
          const call = new RegExp(`\\b${holder}(?:\\(\\))?\\.(?:add|record)\\(([^;]*)\\)`, 'g');
          for (const t of texts) for (const c of t.matchAll(call)) for (const k of keysIn(c[1]!)) labels.add(k);
        }
        for (const name of prometheusNames(m[2]!, unit, KINDS[m[1]!]!)) {
          out.push({ name, labels, source: `${file.slice(ROOT.length + 1)} (${m[2]}, unit '${unit}')` });
        }
      }
    }
  }
  return out;
}

const SPAN_LABELS = ['service_name', 'span_name', 'span_kind', 'status_code', 'collector_instance_id'];

function collectorMetrics(config: Obj): Emitted[] {
  const out: Emitted[] = [];
  const sm = config.connectors.span_metrics;
  const ns = sm.namespace ?? 'traces.span.metrics';
  const dims = (sm.dimensions ?? []).map((d: Obj) => (d.name as string).replace(/\./g, '_'));
  const labels = new Set([...SPAN_LABELS, ...dims]);
  for (const name of prometheusNames(`${ns}.calls`, '', 'counter')) out.push({ name, labels, source: 'span_metrics connector' });
  for (const name of prometheusNames(`${ns}.duration`, sm.histogram?.unit ?? 'ms', 'histogram')) out.push({ name, labels, source: 'span_metrics connector' });
  // kafka_metrics receiver (receiver/kafkametricsreceiver metadata.yaml): per scraper, name, unit, kind, attributes.
  const KAFKA: Record<string, [string, string, Kind, string[]][]> = {
    brokers: [['kafka.brokers', '{brokers}', 'updowncounter', []]],
    topics: [
      ['kafka.topic.partitions', '{partitions}', 'updowncounter', ['topic']],
      ['kafka.partition.current_offset', '1', 'gauge', ['topic', 'partition']],
      ['kafka.partition.oldest_offset', '1', 'gauge', ['topic', 'partition']],
      ['kafka.partition.replicas', '{replicas}', 'updowncounter', ['topic', 'partition']],
      ['kafka.partition.replicas_in_sync', '{replicas}', 'updowncounter', ['topic', 'partition']],
    ],
    consumers: [
      ['kafka.consumer_group.members', '{members}', 'updowncounter', ['group']],
      ['kafka.consumer_group.offset', '1', 'gauge', ['group', 'topic', 'partition']],
      ['kafka.consumer_group.offset_sum', '1', 'gauge', ['group', 'topic']],
      ['kafka.consumer_group.lag', '1', 'gauge', ['group', 'topic', 'partition']],
      ['kafka.consumer_group.lag_sum', '1', 'gauge', ['group', 'topic']],
    ],
  };
  const receiver = config.receivers.kafka_metrics;
  if (receiver && config.service.pipelines.metrics.receivers.includes('kafka_metrics')) {
    for (const scraper of receiver.scrapers as string[]) {
      for (const [n, unit, kind, attrs] of KAFKA[scraper] ?? []) {
        for (const name of prometheusNames(n, unit, kind)) out.push({ name, labels: new Set(attrs), source: `kafka_metrics ${scraper}` });
      }
    }
  }
  return out;
}

const KEYWORDS = new Set(['by', 'without', 'on', 'ignoring', 'group_left', 'group_right', 'bool', 'and', 'or', 'unless', 'offset', 'inf', 'nan']);
const GENERIC_LABELS = new Set(['le', 'job', 'instance', '__name__']);

/** Metric names and the labels the query uses with each. */
export function queriedMetrics(expr: string): { metric: string; labels: string[] }[] {
  let e = expr.replace(/label_values\(([^,]+),\s*[a-z_]+\)/g, '$1');
  const out: { metric: string; labels: string[] }[] = [];
  const grouping: string[] = [];
  e = e.replace(/\b(by|without|on|ignoring|group_left|group_right)\s*\(([^)]*)\)/g, (_m, _k, ls: string) => {
    grouping.push(
      ...ls
        .split(',')
        .map((l) => l.trim())
        .filter(Boolean),
    );
    return ' ';
  });
  e = e.replace(/"[^"]*"/g, '""').replace(/\[[^\]]*\]/g, ' ');
  // name{matchers}
  e = e.replace(/([A-Za-z_:][A-Za-z0-9_:]*)?\{([^}]*)\}/g, (_m, name: string | undefined, matchers: string) => {
    const labels = [...matchers.matchAll(/([A-Za-z_][A-Za-z0-9_]*)\s*(=~|!~|!=|=)/g)].map((x) => x[1]!);
    if (name) out.push({ metric: name, labels });
    return ' ';
  });
  for (const m of e.matchAll(/([A-Za-z_:][A-Za-z0-9_:]*)(\s*\()?/g)) {
    const [, name, call] = m;
    if (call || KEYWORDS.has(name!) || name!.startsWith('$')) continue;
    if (/^(\$|__)/.test(name!)) continue;
    out.push({ metric: name!, labels: [] });
  }
  return out.filter((q) => !q.metric.startsWith('$')).map((q) => ({ ...q, labels: [...q.labels, ...grouping] }));
}

/** What the SLO recording rules record, with their labels. */
function recordedMetrics(): Emitted[] {
  return sloRuleGroups()
    .flatMap((g) => g.rules)
    .filter((r) => r.record)
    .map((r) => ({ name: r.record!, labels: new Set(Object.keys(r.labels ?? {})), source: 'SLO recording rule' }));
}

function allQueries(): { where: string; expr: string }[] {
  const out: { where: string; expr: string }[] = [];
  // Constants (vector(0.995)) aside.
  for (const g of sloRuleGroups()) for (const r of g.rules) if (!/^vector\(/.test(r.expr)) out.push({ where: `rule group ${g.name}`, expr: r.expr });
  for (const d of DASHBOARDS) for (const expr of expressions(d)) out.push({ where: d.uid, expr });
  for (const ds of datasources().datasources as Obj[]) {
    for (const q of ds.jsonData?.tracesToMetrics?.queries ?? [])
      out.push({ where: `${ds.name} tracesToMetrics`, expr: (q.query as string).replace(/\$__tags,?\s*/g, '') });
  }
  return out;
}

test('the translation follows the prometheus exporter (otlptranslator) on known cases', () => {
  assert.deepEqual(prometheusNames('orders.created', '{order}', 'counter'), ['orders_created_total']);
  assert.deepEqual(prometheusNames('notification.lag', 's', 'histogram'), [
    'notification_lag_seconds_bucket',
    'notification_lag_seconds_sum',
    'notification_lag_seconds_count',
  ]);
  assert.deepEqual(prometheusNames('http.server.request.duration', 's', 'histogram')[0], 'http_server_request_duration_seconds_bucket');
  assert.deepEqual(prometheusNames('outbox.pending', '{message}', 'gauge'), ['outbox_pending']);
  assert.deepEqual(prometheusNames('kafka.consumer_group.lag_sum', '1', 'gauge'), ['kafka_consumer_group_lag_sum_ratio']);
  assert.deepEqual(prometheusNames('requests.total', '', 'counter'), ['requests_total']);
  assert.deepEqual(prometheusNames('net.io', 'By/s', 'counter'), ['net_io_bytes_per_second_total']);
});

test('every metric the dashboards and trace-to-metrics links query is emitted, with the labels used', () => {
  const config = parse(objects().find((o) => o.kind === 'ConfigMap' && o.metadata.name === 'otel-collector-config')!.data['config.yaml']);
  assert.deepEqual(config, JSON.parse(JSON.stringify(collectorConfig())));
  const emitted = [...serviceMetrics(), ...collectorMetrics(config), ...recordedMetrics()];
  const byName = new Map<string, Emitted[]>();
  for (const e of emitted) byName.set(e.name, [...(byName.get(e.name) ?? []), e]);
  // The instruments the contract names are among them.
  for (const n of [
    'orders_created_total',
    'orders_failed_total',
    'payment_amount_bucket',
    'outbox_pending',
    'notification_lag_seconds_bucket',
    'db_client_operation_duration_seconds_bucket',
    // The objectives' histograms.
    'http_server_request_duration_seconds_bucket',
    'notification_delay_seconds_bucket',
  ]) {
    assert.ok(byName.has(n), `${n} is not emitted (services changed?)`);
  }
  const problems: string[] = [];
  const queries = allQueries();
  assert.ok(queries.length > 30);
  for (const { where, expr } of queries) {
    const used = queriedMetrics(expr);
    assert.ok(used.length > 0, `${where}: no metric in ${expr}`);
    for (const { metric, labels } of used) {
      const sources = byName.get(metric);
      if (!sources) {
        problems.push(`${where}: ${metric} is not emitted (query: ${expr})`);
        continue;
      }
      for (const l of labels) {
        if (GENERIC_LABELS.has(l)) continue;
        if (!sources.some((s) => s.labels === 'any' || s.labels.has(l))) problems.push(`${where}: ${metric} has no label ${l} (${sources[0]!.source})`);
      }
    }
  }
  assert.deepEqual(problems, []);
});

/**
 * The values the span metrics connector gives its labels: the system's
 * service names and its named spans (the contracts'), and the OTLP enums as
 * the connector spells them. A query selecting an HTTP route's span by name
 * would need that name here.
 */
const SPAN_LABEL_VALUES: Record<string, Set<string>> = {
  service_name: new Set([...SERVICE_NAMES.map((name) => SERVICES[name].otelName), STOREFRONT.otelName, STOREFRONT.webOtelName]),
  span_name: new Set<string>([...Object.values(SPANS), ...Object.values(STOREFRONT_SPANS), ...Object.values(STOREFRONT_WEB_SPANS)]),
  status_code: new Set(['STATUS_CODE_UNSET', 'STATUS_CODE_OK', 'STATUS_CODE_ERROR']),
  span_kind: new Set(['SPAN_KIND_UNSPECIFIED', 'SPAN_KIND_INTERNAL', 'SPAN_KIND_SERVER', 'SPAN_KIND_CLIENT', 'SPAN_KIND_PRODUCER', 'SPAN_KIND_CONSUMER']),
};

test('every service, span name, status and kind a span-metrics query selects is one the system gives', () => {
  const problems: string[] = [];
  const checked = new Set<string>();
  for (const { where, expr } of allQueries()) {
    for (const [, label, op, value] of expr.matchAll(/\b(service_name|span_name|status_code|span_kind)\s*(=~|=)\s*"([^"]*)"/g)) {
      // A dashboard variable is Grafana's to fill in; a real pattern is not a list of names.
      if (value!.includes('$') || (op === '=~' && /[\\*+?()[\]{}^]/.test(value!))) continue;
      for (const v of op === '=~' ? value!.split('|') : [value!]) {
        checked.add(`${label}=${v}`);
        if (!SPAN_LABEL_VALUES[label!]!.has(v)) problems.push(`${where}: ${label}="${v}" is no name the system gives (query: ${expr})`);
      }
    }
  }
  assert.deepEqual(problems, []);
  // Not vacuous: the storefront row's selectors are among those checked.
  for (const selected of [
    `service_name=${STOREFRONT.webOtelName}`,
    `span_name=${STOREFRONT_WEB_SPANS.documentLoad}`,
    `span_name=${STOREFRONT_WEB_SPANS.checkout}`,
    'status_code=STATUS_CODE_OK',
    `span_name=${SPANS.gatewayCreateOrder}`,
  ]) {
    assert.ok(checked.has(selected), selected);
  }
});

test("the storefront's browser row is on the RED dashboard of a cluster that runs the storefront, and of none without it", () => {
  const row = RED.panels.find((p) => p.type === 'row' && p.title === 'Storefront (browser spans)');
  assert.ok(row, 'the row');
  const browser = expressions(RED).filter((e) => e.includes(`service_name="${STOREFRONT.webOtelName}"`));
  assert.equal(browser.length, 6, 'page loads; their p50 and p95; click to created p50 and p95; checkouts by outcome');
  const inGrafana = (values: Values) =>
    Object.values<string>(objects(values).find((o) => o.kind === 'ConfigMap' && o.metadata.name === 'grafana-dashboards')!.data).join('\n');
  assert.ok(inGrafana(DEV_VALUES).includes(STOREFRONT_WEB_SPANS.checkout), 'with the storefront (the dev values)');
  assert.ok(!inGrafana(mergeValues<Values>(DEV_VALUES, { storefront: { enabled: false } })).includes(STOREFRONT.webOtelName), 'without it');
  for (const notification of [true, false]) {
    const without = dashboardsFor(deployedInCluster({ notification, storefront: false }));
    assert.ok(without.every((d) => !expressions(d).some((e) => e.includes(STOREFRONT.webOtelName))));
  }
});

test('the metric extraction is not vacuous', () => {
  assert.deepEqual(queriedMetrics('sum by (reason) (rate(orders_failed_total{reason!="x"}[$__rate_interval])) * 60'), [
    { metric: 'orders_failed_total', labels: ['reason', 'reason'] },
  ]);
  assert.deepEqual(
    queriedMetrics(
      'histogram_quantile(0.95, sum by (le, service_name) (rate(traces_span_metrics_duration_seconds_bucket{span_kind="SPAN_KIND_SERVER"}[5m])))',
    ).map((q) => q.metric),
    ['traces_span_metrics_duration_seconds_bucket'],
  );
  assert.deepEqual(
    queriedMetrics('max(outbox_pending) / 100').map((q) => q.metric),
    ['outbox_pending'],
  );
});

test('the SLO dashboard has a row per objective (budget left, burn rate per alert window, bad events by cause), none about what is not deployed', () => {
  const rows = (d: Record<string, unknown> & { panels: Record<string, unknown>[] }) => d.panels.filter((p) => p.type === 'row').map((p) => p.title);
  assert.deepEqual(
    rows(SLO),
    OBJECTIVES.map((o) => o.title),
  );
  for (const o of OBJECTIVES) {
    const queries = expressions(SLO).filter((e) => e.includes(`slo="${o.name}"`));
    assert.ok(
      queries.some((e) => e.startsWith('slo:period_error_budget_remaining:ratio')),
      `${o.name}: budget left`,
    );
    for (const w of sliWindows())
      assert.ok(
        queries.some((e) => e.startsWith(`slo:sli_error:ratio_rate${w}{`)),
        `${o.name}: burn rate over ${w}`,
      );
  }
  const withoutNotification = dashboardsFor(deployedInCluster({ notification: false, storefront: true })).find((d) => d.uid === SLO.uid)!;
  assert.ok(!rows(withoutNotification).includes('Notification freshness'));
});
