// The service level objectives: what the shop promises its users, defined
// once. The Prometheus rules and their promtool tests, the alerts, the SLO
// dashboard and docs/slo.md are generated from this table (cdk8s/src/slo/);
// the services record the measurements it names, with each threshold a
// bucket boundary of the histogram it is read from (tests hold both).
//
// Every objective is a ratio of events over a 30-day window: the events are
// measurements of one histogram of one service, and an event is bad when it
// matches `bad`, or when it is not a `good` one within the threshold.
import { SERVICES, type ServiceName } from './services.ts';

export const OBJECTIVE_NAMES = ['order-placement-availability', 'order-placement-latency', 'notification-freshness'] as const;
export type ObjectiveName = (typeof OBJECTIVE_NAMES)[number];

/** A condition on one attribute of a measurement, as the instrument records it (OTel attribute names). */
export interface AttributeMatch {
  attribute: string;
  /** Prometheus's matcher operators: equal, not equal, regular expression, negated regular expression. */
  op: '=' | '!=' | '=~' | '!~';
  value: string;
}

/** A histogram instrument of one service: its OTel name and unit, and its explicit bucket boundaries. */
export interface Histogram {
  service: ServiceName;
  instrument: string;
  unit: 's';
  buckets: readonly number[];
}

/** Which of the events are bad: those matching `bad`, or every event but the `good` ones at most `threshold` seconds. */
export type Sli = { kind: 'bad-events'; bad: readonly AttributeMatch[] } | { kind: 'good-within'; good: readonly AttributeMatch[]; thresholdSeconds: number };

/** A cause of bad events as the dashboard shows them: a name, and the events it is about. */
export interface Cause {
  name: string;
  /** Bad events are split by this attribute's values (the availability's: the error type). */
  byAttribute?: string;
  /** The events of this cause: bad events matching these... */
  matches?: readonly AttributeMatch[];
  /** ...or (a latency) those above `slowerThan` and at most `upTo` seconds (both bucket boundaries; no upTo: no bound). */
  slowerThan?: number;
  upTo?: number;
}

export interface Objective {
  name: ObjectiveName;
  title: string;
  /** What a user gets, in one sentence: the objective as the docs and the alerts state it. */
  promise: string;
  /** The share of good events promised, over the window. */
  target: number;
  windowDays: number;
  histogram: Histogram;
  /** The events: every measurement of the histogram matching these. */
  events: readonly AttributeMatch[];
  sli: Sli;
  causes: readonly Cause[];
  /** Why the objective is what it is (docs/slo.md). */
  why: string;
  /** What to look at first when it pages (docs/slo.md, and the alert's runbook). */
  firstSteps: readonly string[];
}

/**
 * The kit's HTTP server histogram (packages/kit/src/telemetry/http-server.ts),
 * recorded for every request but probes: 0.5 s is a boundary because the
 * order placement latency objective is read at it.
 */
export const HTTP_SERVER_DURATION: Histogram = {
  service: 'gateway',
  instrument: 'http.server.request.duration',
  unit: 's',
  buckets: [0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10],
};

/**
 * The notification service's delay histogram: from an order's creation (the
 * order.created event's occurred_at) to the final outcome of its
 * notification (attribute notification.outcome: sent or dead_lettered),
 * recorded where that outcome happens (services/notification).
 */
export const NOTIFICATION_DELAY: Histogram = {
  service: 'notification',
  instrument: 'notification.delay',
  unit: 's',
  buckets: [0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 900, 3600],
};

/** The outcomes notification.delay records (attribute notification.outcome). */
export const NOTIFICATION_OUTCOMES = { sent: 'sent', deadLettered: 'dead_lettered' } as const;

const PLACE_ORDER: readonly AttributeMatch[] = [
  { attribute: 'http.route', op: '=', value: '/api/orders' },
  { attribute: 'http.request.method', op: '=', value: 'POST' },
];

export const OBJECTIVES: readonly Objective[] = [
  {
    name: 'order-placement-availability',
    title: 'Order placement availability',
    promise: '99.5 % of order placements (POST /api/orders) over 30 days end without a server-side failure: a 5xx or no answer.',
    target: 0.995,
    windowDays: 30,
    histogram: HTTP_SERVER_DURATION,
    events: PLACE_ORDER,
    // error.type is set for a 5xx and for a response the gateway never finished (kit http-server).
    sli: { kind: 'bad-events', bad: [{ attribute: 'error.type', op: '!=', value: '' }] },
    causes: [
      { name: 'by error type (5xx status or connection_closed)', byAttribute: 'error.type', matches: [{ attribute: 'error.type', op: '!=', value: '' }] },
    ],
    why: 'Placing an order is what the shop is for. A decline (402), no stock (409), a bad request (400), a bad key (401) or a rate limit (429) is the system working and counts as good; only a failure of ours counts against it. 99.5 % leaves a budget of about 3.6 hours of total outage in 30 days: enough for a deployment gone wrong to be rolled back, not enough to ignore a dependency that keeps failing.',
    firstSteps: [
      'Which error types: the SLO dashboard\'s "bad events by cause" (503 from order-service: a dependency of the saga is down; connection_closed: clients gave up waiting).',
      "The RED dashboard's error ratio per service: which hop fails (order, inventory, payment), then its pods and logs (`shopctl status`, `kubectl -n shop logs deploy/<service>`).",
      'A failing trace: Jaeger, service gateway, tag error=true.',
    ],
  },
  {
    name: 'order-placement-latency',
    title: 'Order placement latency',
    promise:
      '99 % of successful order placements (POST /api/orders answered 2xx) over 30 days answer within 500 ms, measured where the request enters: the gateway.',
    target: 0.99,
    windowDays: 30,
    histogram: HTTP_SERVER_DURATION,
    events: [...PLACE_ORDER, { attribute: 'http.response.status_code', op: '=~', value: '2..' }],
    sli: { kind: 'good-within', good: [], thresholdSeconds: 0.5 },
    causes: [
      { name: '0.5 s to 1 s', slowerThan: 0.5, upTo: 1 },
      { name: '1 s to 2.5 s', slowerThan: 1, upTo: 2.5 },
      { name: 'over 2.5 s', slowerThan: 2.5 },
    ],
    why: "An order runs the whole saga (reserve stock, charge, confirm) synchronously, so the shopper waits for all of it; half a second is the point where a click stops feeling immediate. Only successful placements count: a refusal is fast by nature and would hide a slow saga. The gateway's server-side histogram is where the request enters the system, so it includes every hop behind it.",
    firstSteps: [
      'Which step is slow: the RED dashboard\'s "Operation duration p95" for order.checkInventory, order.processPayment, order.saveDatabase, and PostgreSQL query duration.',
      'CPU throttling or too few replicas: `kubectl -n shop top pods` (with a metrics-server), the HorizontalPodAutoscalers.',
      'A slow trace: Jaeger, service gateway, operation POST /api/orders, min duration 500ms.',
    ],
  },
  {
    name: 'notification-freshness',
    title: 'Notification freshness',
    promise: '99.9 % of created orders over 30 days are notified within 60 s of being created.',
    target: 0.999,
    windowDays: 30,
    histogram: NOTIFICATION_DELAY,
    events: [],
    sli: { kind: 'good-within', good: [{ attribute: 'notification.outcome', op: '=', value: NOTIFICATION_OUTCOMES.sent }], thresholdSeconds: 60 },
    causes: [
      { name: 'dead-lettered', matches: [{ attribute: 'notification.outcome', op: '=', value: NOTIFICATION_OUTCOMES.deadLettered }] },
      { name: 'sent after 60 s', matches: [{ attribute: 'notification.outcome', op: '=', value: NOTIFICATION_OUTCOMES.sent }], slowerThan: 60 },
    ],
    why: "The confirmation is the shopper's receipt: an order without one leads to a support call or a second order. The path is asynchronous (outbox, Kafka, consumer, retries), so a minute absorbs a broker restart or a few retries, and 99.9 % because a notification that never comes (dead-lettered) is a broken promise, not a slow one. Measured when the outcome happens, so an event still waiting in Kafka counts when it is finally handled: the consumer lag panel is the early sign.",
    firstSteps: [
      'Dead letters or lateness: the SLO dashboard\'s "bad events by cause".',
      'The Kafka and outbox dashboard: outbox backlog (order-service cannot reach Kafka), consumer lag (notification is down or slow), retries and dead letters (the channel fails).',
      '`kubectl -n shop logs deploy/notification`; the dead-letter topic keeps every parked event with its reason.',
    ],
  },
];

/** The objective of a name. */
export function objective(name: ObjectiveName): Objective {
  const found = OBJECTIVES.find((o) => o.name === name);
  if (!found) throw new Error(`no objective ${name}`);
  return found;
}

/** The OTel service.name of the service that records an objective's measurement (Prometheus's job label). */
export function measuredBy(o: Objective): string {
  return SERVICES[o.histogram.service].otelName;
}
