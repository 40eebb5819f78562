// The alerts `shopctl status` lists: the firing ones of Prometheus's
// /api/v1/alerts answer (pending ones are not firing yet), pages first, each
// with its objective and since when; none, or why they could not be read.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { firingAlerts } from './alerts.ts';
import { renderAlerts, renderStatus, statusAsJson } from './render-status.ts';

const answer = {
  status: 'success',
  data: {
    alerts: [
      {
        labels: { alertname: 'NotificationFreshnessBudgetBurn', severity: 'ticket', slo: 'notification-freshness' },
        annotations: { summary: 'Notification freshness: the 30-day error budget burns too fast (ticket).' },
        state: 'firing',
        activeAt: '2026-12-07T10:00:00Z',
      },
      {
        labels: { alertname: 'OrderPlacementLatencyBudgetBurn', severity: 'page', slo: 'order-placement-latency' },
        annotations: {},
        state: 'pending',
        activeAt: '2026-12-07T10:05:00Z',
      },
      {
        labels: { alertname: 'OrderPlacementAvailabilityBudgetBurn', severity: 'page', slo: 'order-placement-availability' },
        annotations: { summary: 'Order placement availability: the 30-day error budget burns too fast (page).' },
        state: 'firing',
        activeAt: '2026-12-07T10:02:00Z',
      },
    ],
  },
};

test('only firing alerts, pages first, with their objective, since when and summary', () => {
  assert.deepEqual(firingAlerts(answer), [
    {
      name: 'OrderPlacementAvailabilityBudgetBurn',
      severity: 'page',
      slo: 'order-placement-availability',
      since: '2026-12-07T10:02:00Z',
      summary: 'Order placement availability: the 30-day error budget burns too fast (page).',
    },
    {
      name: 'NotificationFreshnessBudgetBurn',
      severity: 'ticket',
      slo: 'notification-freshness',
      since: '2026-12-07T10:00:00Z',
      summary: 'Notification freshness: the 30-day error budget burns too fast (ticket).',
    },
  ]);
  assert.throws(() => firingAlerts({ status: 'error', error: 'x' }), /not an answer of \/api\/v1\/alerts/);
});

test('rendered as aligned rows, none firing said so, an unreadable Prometheus said so', () => {
  const source = 'observability/prometheus';
  assert.deepEqual(renderAlerts({ source, firing: firingAlerts(answer) }), [
    'alerts: 2 firing (observability/prometheus)',
    '  page    OrderPlacementAvailabilityBudgetBurn  slo=order-placement-availability  since 2026-12-07T10:02:00Z  Order placement availability: the 30-day error budget burns too fast (page).',
    '  ticket  NotificationFreshnessBudgetBurn       slo=notification-freshness        since 2026-12-07T10:00:00Z  Notification freshness: the 30-day error budget burns too fast (ticket).',
    '',
  ]);
  assert.deepEqual(renderAlerts({ source, firing: [] }), ['alerts: none firing (observability/prometheus)', '']);
  assert.deepEqual(renderAlerts({ source, error: 'no ready pod behind service observability/prometheus' }), [
    'alerts: unknown (observability/prometheus: no ready pod behind service observability/prometheus)',
    '',
  ]);
  assert.deepEqual(renderAlerts(undefined), []);
});

test('in the report the alerts come before the verdict, which they do not change; JSON carries them', () => {
  const report = {
    context: 'kind-otel-shop',
    server: 'https://127.0.0.1:6443',
    verdict: 'healthy' as const,
    components: [{ component: 'deployment/gateway', namespace: 'shop', verdict: 'healthy' as const, ready: '1/1', restarts: 0, details: [] }],
    alerts: { source: 'observability/prometheus', firing: firingAlerts(answer) },
  };
  const lines = renderStatus(report);
  assert.equal(lines.at(-1), 'verdict: HEALTHY (1 component)');
  assert.ok(lines.indexOf('alerts: 2 firing (observability/prometheus)') < lines.length - 1);
  assert.deepEqual((statusAsJson(report).alerts as { firing: unknown[] }).firing.length, 2);
});
