// Dashboards as code. Metric names are Prometheus names of what the system
// emits, translated the way collector-contrib's prometheus exporter does
// (dots to underscores, counters +_total, histograms _bucket/_sum/_count,
// unit suffixes such as _seconds, `{...}` units dropped, gauges of unit "1"
// +_ratio); the dashboards test checks every one against the services'
// instruments and the collector config.
import {
  NOTIFICATION_CONSUMER_GROUP as GROUP,
  ORDER_NOTIFICATIONS,
  ORDER_NOTIFICATIONS_DLQ,
  SERVICES,
  STOREFRONT,
  STOREFRONT_WEB_SPANS,
} from '@shop/contracts';
import { OBJECTIVES, type Objective } from '@shop/contracts';
import { causeQueries } from '../slo/promql.ts';
import { ALERT_WINDOWS, RECORD, SLO_DASHBOARD, burnRate, sliWindows } from '../slo/rules.ts';
import { dashboard, labelVariable, type Dashboard, type DashboardSpec, type Feature, type RowSpec } from './builder.ts';

const SERVER = 'span_kind="SPAN_KIND_SERVER"';
const svc = 'service_name=~"$service"';
const rate = (selector: string) => `rate(${selector}[$__rate_interval])`;
const calls = (filter: string) => `traces_span_metrics_calls_total{${filter}}`;
const durationBucket = (filter: string) => `traces_span_metrics_duration_seconds_bucket{${filter}}`;
const quantile = (q: number, by: string, bucket: string) => `histogram_quantile(${q}, sum by (le, ${by}) (${rate(bucket)}))`;
/** One of the pages' spans (service storefront-web): what shoppers' browsers measured, sent through the storefront's span proxy. */
const webSpan = (name: string) => `service_name="${STOREFRONT.webOtelName}", span_name="${name}"`;
const PAGE_LOAD = webSpan(STOREFRONT_WEB_SPANS.documentLoad);
const CHECKOUT = webSpan(STOREFRONT_WEB_SPANS.checkout);

const RED_SPEC: DashboardSpec = {
  uid: 'otel-shop-red',
  title: 'otel-shop / RED per service',
  description:
    'Rate, errors and duration of every service, from the span metrics connector (traces_span_metrics_*). Latency panels show exemplars: click one to open its trace in Jaeger.',
  tags: ['otel-shop', 'red'],
  variables: [labelVariable('service', 'service_name', calls(SERVER), 'Service')],
  rows: [
    {
      title: 'Requests (server spans)',
      panels: [
        {
          title: 'Request rate',
          unit: 'reqps',
          queries: [{ expr: `sum by (service_name) (${rate(calls(`${SERVER}, ${svc}`))})`, legend: '{{service_name}}' }],
        },
        {
          title: 'Error ratio',
          description: 'Server spans with status ERROR over all server spans.',
          unit: 'percentunit',
          queries: [
            {
              expr:
                `sum by (service_name) (${rate(calls(`${SERVER}, ${svc}, status_code="STATUS_CODE_ERROR"`))})` +
                ` / sum by (service_name) (${rate(calls(`${SERVER}, ${svc}`))})`,
              legend: '{{service_name}}',
            },
          ],
        },
        {
          title: 'Duration p95',
          unit: 's',
          queries: [{ expr: quantile(0.95, 'service_name', durationBucket(`${SERVER}, ${svc}`)), legend: '{{service_name}}', exemplar: true }],
        },
        {
          title: 'Duration p50 / p99 (all selected services)',
          unit: 's',
          queries: [
            { expr: `histogram_quantile(0.5, sum by (le) (${rate(durationBucket(`${SERVER}, ${svc}`))}))`, legend: 'p50' },
            { expr: `histogram_quantile(0.99, sum by (le) (${rate(durationBucket(`${SERVER}, ${svc}`))}))`, legend: 'p99' },
          ],
        },
      ],
    },
    {
      title: 'Operations (every span: routes, saga steps, Kafka, database)',
      panels: [
        {
          title: 'Operation rate',
          unit: 'ops',
          width: 12,
          queries: [{ expr: `sum by (service_name, span_name) (${rate(calls(svc))})`, legend: '{{service_name}} {{span_name}}' }],
        },
        {
          title: 'Operation duration p95',
          unit: 's',
          width: 12,
          queries: [{ expr: quantile(0.95, 'service_name, span_name', durationBucket(svc)), legend: '{{service_name}} {{span_name}}', exemplar: true }],
        },
        {
          title: 'Operation errors',
          unit: 'ops',
          queries: [
            { expr: `sum by (service_name, span_name) (${rate(calls(`${svc}, status_code="STATUS_CODE_ERROR"`))})`, legend: '{{service_name}} {{span_name}}' },
          ],
        },
        {
          title: 'PostgreSQL query duration p95',
          description: 'db.client.operation.duration, recorded by the kit around every postgres.js query.',
          unit: 's',
          queries: [
            { expr: `histogram_quantile(0.95, sum by (le, job) (${rate('db_client_operation_duration_seconds_bucket')}))`, legend: '{{job}}', exemplar: true },
          ],
        },
      ],
    },
    {
      // Not filtered by $service: a flag is one value, whichever services evaluate it.
      title: 'Fault flags',
      panels: [
        {
          title: 'Fault flags in force',
          description:
            'Each fault flag as the services evaluate it (fault_flag.value; docs/flags.md): 0 while off, 1 for true, else its value. A step is when someone ran shopctl flags set or reset; line it up with the panels above. No data: the flags are off in this deployment (flags.enabled).',
          unit: 'short',
          queries: [{ expr: 'max by (feature_flag_key) (fault_flag_value)', legend: '{{feature_flag_key}}' }],
        },
      ],
    },
    {
      // Not filtered by $service: the variable lists the servers, and these are the browsers' spans.
      title: 'Storefront (browser spans)',
      needs: ['storefront'],
      panels: [
        {
          title: 'Page loads per second',
          description: `${STOREFRONT_WEB_SPANS.documentLoad} spans of ${STOREFRONT.webOtelName}: every page a browser loaded, as its document-load instrumentation saw it.`,
          unit: 'ops',
          queries: [{ expr: `sum(${rate(calls(PAGE_LOAD))})`, legend: 'page loads' }],
        },
        {
          title: 'Page load duration p50 / p95',
          description: "From the start of the page's fetch to its load event, as the browser measured it.",
          unit: 's',
          queries: [
            { expr: `histogram_quantile(0.5, sum by (le) (${rate(durationBucket(PAGE_LOAD))}))`, legend: 'p50' },
            { expr: `histogram_quantile(0.95, sum by (le) (${rate(durationBucket(PAGE_LOAD))}))`, legend: 'p95', exemplar: true },
          ],
        },
        {
          title: 'Click to order created p50 / p95',
          description: `${STOREFRONT_WEB_SPANS.checkout} spans with status OK: from the shopper's click on Place order until the answer that the order was created is in the page. Exemplars open the whole trace, click to notification.`,
          unit: 's',
          queries: [
            { expr: `histogram_quantile(0.5, sum by (le) (${rate(durationBucket(`${CHECKOUT}, status_code="STATUS_CODE_OK"`))}))`, legend: 'p50' },
            {
              expr: `histogram_quantile(0.95, sum by (le) (${rate(durationBucket(`${CHECKOUT}, status_code="STATUS_CODE_OK"`))}))`,
              legend: 'p95',
              exemplar: true,
            },
          ],
        },
        {
          title: 'Checkouts by outcome per second',
          description:
            "The checkout span's status: STATUS_CODE_OK an order created; STATUS_CODE_UNSET refused (a decline, no stock, too fast: the shop worked); STATUS_CODE_ERROR the shop failed (5xx or no answer).",
          unit: 'ops',
          stack: true,
          queries: [{ expr: `sum by (status_code) (${rate(calls(CHECKOUT))})`, legend: '{{status_code}}' }],
        },
      ],
    },
  ],
};

const perMinute = (expr: string) => `${expr} * 60`;

const ORDERS_SPEC: DashboardSpec = {
  uid: 'otel-shop-orders',
  title: 'otel-shop / Orders funnel and business',
  description: 'The order funnel from the gateway to the notification, and the business counters the services emit.',
  tags: ['otel-shop', 'business'],
  rows: [
    {
      title: 'Funnel over the selected range',
      panels: [
        {
          title: 'Order funnel',
          description: 'Order requests the gateway accepted, stock reserved, payments that succeeded, orders created, notifications sent.',
          type: 'bargauge',
          width: 24,
          height: 7,
          queries: [
            {
              expr: `sum(increase(${calls(`service_name="${SERVICES.gateway.otelName}", span_name="gateway.createOrder"`)}[$__range]))`,
              legend: '1 order requests (gateway)',
              instant: true,
            },
            { expr: 'sum(increase(inventory_reservations_total{outcome="reserved"}[$__range]))', legend: '2 stock reserved', instant: true },
            { expr: 'sum(increase(payments_total{status="succeeded"}[$__range]))', legend: '3 payments succeeded', instant: true },
            { expr: 'sum(increase(orders_created_total[$__range]))', legend: '4 orders created', instant: true },
            { expr: 'sum(increase(notifications_sent_total[$__range]))', legend: '5 notifications sent', instant: true, needs: ['notification'] },
          ],
        },
      ],
    },
    {
      title: 'Orders',
      panels: [
        {
          title: 'Orders created per minute',
          unit: 'short',
          queries: [{ expr: perMinute('sum(rate(orders_created_total[$__rate_interval]))'), legend: 'created' }],
        },
        {
          title: 'Failed order requests per minute, by reason',
          unit: 'short',
          stack: true,
          queries: [{ expr: perMinute('sum by (reason) (rate(orders_failed_total[$__rate_interval]))'), legend: '{{reason}}' }],
        },
        {
          title: 'Revenue per minute (USD)',
          unit: 'currencyUSD',
          queries: [{ expr: perMinute('sum(rate(order_total_sum[$__rate_interval])) / 100'), legend: 'revenue' }],
        },
        {
          title: 'Average order total (USD)',
          unit: 'currencyUSD',
          queries: [{ expr: 'sum(rate(order_total_sum[$__rate_interval])) / sum(rate(order_total_count[$__rate_interval])) / 100', legend: 'average' }],
        },
      ],
    },
    {
      title: 'Gateway, inventory, payment',
      panels: [
        {
          title: 'Requests the gateway rejected, by reason',
          unit: 'reqps',
          stack: true,
          queries: [{ expr: 'sum by (reason) (rate(gateway_requests_rejected_total[$__rate_interval]))', legend: '{{reason}}' }],
        },
        {
          title: 'Rate-limit checks that failed open',
          unit: 'ops',
          queries: [{ expr: 'sum by (error_type) (rate(gateway_ratelimit_errors_total[$__rate_interval]))', legend: '{{error_type}}' }],
        },
        {
          title: 'Reservations and releases, by outcome',
          unit: 'ops',
          queries: [
            { expr: 'sum by (outcome) (rate(inventory_reservations_total[$__rate_interval]))', legend: 'reserve {{outcome}}' },
            { expr: 'sum by (outcome) (rate(inventory_releases_total[$__rate_interval]))', legend: 'release {{outcome}}' },
          ],
        },
        {
          title: 'Payments, by status and reason',
          unit: 'ops',
          stack: true,
          queries: [{ expr: 'sum by (status, reason) (rate(payments_total[$__rate_interval]))', legend: '{{status}} {{reason}}' }],
        },
        {
          title: 'Payment amount p50 / p95 (USD)',
          unit: 'currencyUSD',
          queries: [
            { expr: 'histogram_quantile(0.5, sum by (le) (rate(payment_amount_bucket[$__rate_interval]))) / 100', legend: 'p50' },
            { expr: 'histogram_quantile(0.95, sum by (le) (rate(payment_amount_bucket[$__rate_interval]))) / 100', legend: 'p95' },
          ],
        },
      ],
    },
  ],
};

const KAFKA_OUTBOX_SPEC: DashboardSpec = {
  uid: 'otel-shop-kafka',
  title: 'otel-shop / Kafka and outbox',
  description:
    'The transactional outbox backlog in order-service, the notification consumer group lag (from the brokers, kafka_metrics receiver), event age at sending, retries and dead letters.',
  tags: ['otel-shop', 'kafka'],
  rows: [
    {
      title: 'Backlog',
      panels: [
        {
          title: 'Outbox rows not yet in Kafka',
          description: 'outbox.pending: every order-service replica counts the same table, hence max.',
          unit: 'short',
          queries: [{ expr: 'max(outbox_pending)', legend: 'pending' }],
        },
        {
          title: `Consumer lag (messages), group ${GROUP}`,
          needs: ['notification'],
          description:
            'From the brokers (kafka.consumer_group.lag_sum; the exporter appends _ratio to gauges of unit "1"). Every collector scrapes the same cluster, hence max.',
          unit: 'short',
          queries: [{ expr: `max by (topic) (kafka_consumer_group_lag_sum_ratio{group="${GROUP}"})`, legend: '{{topic}}' }],
        },
        {
          title: 'Consumer lag per partition',
          needs: ['notification'],
          unit: 'short',
          queries: [
            {
              expr: `max by (partition) (kafka_consumer_group_lag_ratio{group="${GROUP}", topic="${ORDER_NOTIFICATIONS.name}"})`,
              legend: 'partition {{partition}}',
            },
          ],
        },
        {
          title: 'Event age when sent p50 / p95',
          needs: ['notification'],
          description: "notification.lag: from the event's occurred_at to the notification being sent.",
          unit: 's',
          queries: [
            { expr: 'histogram_quantile(0.5, sum by (le) (rate(notification_lag_seconds_bucket[$__rate_interval])))', legend: 'p50' },
            { expr: 'histogram_quantile(0.95, sum by (le) (rate(notification_lag_seconds_bucket[$__rate_interval])))', legend: 'p95', exemplar: true },
          ],
        },
      ],
    },
    {
      title: 'Delivery',
      panels: [
        {
          title: 'Notifications: sent, failed attempts, duplicates skipped',
          needs: ['notification'],
          unit: 'ops',
          queries: [
            { expr: 'sum(rate(notifications_sent_total[$__rate_interval]))', legend: 'sent' },
            { expr: 'sum(rate(notifications_failed_total[$__rate_interval]))', legend: 'failed attempts' },
            { expr: 'sum(rate(notifications_duplicates_total[$__rate_interval]))', legend: 'duplicates' },
          ],
        },
        {
          title: 'Dead-lettered, by reason',
          needs: ['notification'],
          unit: 'ops',
          queries: [{ expr: 'sum by (reason) (rate(notifications_dead_lettered_total[$__rate_interval]))', legend: '{{reason}}' }],
        },
        {
          title: 'Messages on the dead-letter topic',
          needs: ['notification'],
          unit: 'short',
          queries: [
            {
              expr: `sum(max by (partition) (kafka_partition_current_offset_ratio{topic="${ORDER_NOTIFICATIONS_DLQ.name}"}) - max by (partition) (kafka_partition_oldest_offset_ratio{topic="${ORDER_NOTIFICATIONS_DLQ.name}"}))`,
              legend: 'dlq',
            },
          ],
        },
        {
          title: 'Kafka produce and consume (spans)',
          unit: 'ops',
          queries: [
            {
              expr: `sum by (service_name, span_kind) (${rate(calls('span_kind=~"SPAN_KIND_PRODUCER|SPAN_KIND_CONSUMER"'))})`,
              legend: '{{service_name}} {{span_kind}}',
            },
          ],
        },
      ],
    },
  ],
};

/** The parts a row about an objective needs (notification freshness: the notification service). */
const needsOf = (o: Objective): Feature[] => (o.histogram.service === 'notification' ? ['notification'] : []);

/**
 * One row per objective (@shop/contracts objectives.ts), from its recording
 * rules (src/slo/rules.ts): the error budget left over the period, the burn
 * rate over each alert window (1 = spending the budget exactly over the
 * period; the alerts' thresholds in the description), and the bad events by
 * cause over the dashboard's range.
 */
function sloRow(o: Objective): RowSpec {
  const sel = `{slo="${o.name}"}`;
  const thresholds = ALERT_WINDOWS.map((w) => `${w.severity} at ${burnRate(w, o.windowDays)}x over ${w.long} and ${w.short}`).join('; ');
  return {
    title: o.title,
    needs: needsOf(o),
    panels: [
      {
        title: `Error budget left (${o.windowDays} d)`,
        description: `${o.promise} The share of the ${o.windowDays}-day error budget (${Number(((1 - o.target) * 100).toFixed(3))} % of events) not yet spent, over the data Prometheus keeps.`,
        type: 'stat',
        unit: 'percentunit',
        decimals: 1,
        width: 6,
        queries: [{ expr: `${RECORD.budgetRemaining}${sel}`, legend: 'budget left' }],
      },
      {
        title: 'Burn rate per alert window',
        description: `The error ratio over each window the alerts read, as a multiple of the budget's rate (1: the budget lasts exactly ${o.windowDays} days). Alerts: ${thresholds}.`,
        width: 10,
        queries: sliWindows().map((w) => ({
          expr: `${RECORD.errorRatio(w)}${sel} / on(slo) group_left ${RECORD.errorBudget}${sel}`,
          legend: w,
        })),
      },
      {
        title: 'Bad events by cause',
        description: 'Bad events over the selected range, by what made them bad.',
        type: 'bargauge',
        width: 8,
        queries: causeQueries(o).map((q) => ({ ...q, instant: true })),
      },
    ],
  };
}

const SLO_SPEC: DashboardSpec = {
  uid: SLO_DASHBOARD.uid,
  title: SLO_DASHBOARD.title,
  description:
    "The shop's service level objectives (docs/slo.md): per objective, the error budget left, the burn rate over the alerts' windows and the bad events by cause. The alerts' runbooks point here.",
  tags: ['otel-shop', 'slo'],
  rows: OBJECTIVES.map(sloRow),
};

const SPECS = [RED_SPEC, ORDERS_SPEC, KAFKA_OUTBOX_SPEC, SLO_SPEC];
export const [RED, ORDERS, KAFKA_OUTBOX, SLO] = SPECS.map((spec) => dashboard(spec)) as [Dashboard, Dashboard, Dashboard, Dashboard];
/** Every dashboard with every panel: the whole stack deployed. */
export const DASHBOARDS: Dashboard[] = [RED, ORDERS, KAFKA_OUTBOX, SLO];

/** The dashboards of a stack without some features: no panel or query about what is not deployed. */
export function dashboardsFor(deployed: (f: Feature) => boolean): Dashboard[] {
  return SPECS.map((spec) => dashboard(spec, deployed));
}

/**
 * The parts a dashboard may be about that a cluster of the chart runs, from
 * its values (services.notification.enabled, storefront.enabled): its
 * Grafana gets no row, panel or query about the others, which could only
 * be empty there.
 */
export function deployedInCluster(options: Record<Feature, boolean>): (f: Feature) => boolean {
  return (f) => options[f];
}
