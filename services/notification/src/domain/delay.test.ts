// notification.delay, the notification freshness objective's measurement
// (@shop/contracts objectives.ts), without Kafka: now minus the event's
// occurred_at, by final outcome, in the contract's buckets, with the
// objective's 60 s a boundary (an order notified in exactly 60 s is within it,
// one a millisecond later is not). notifier.test.ts checks that the consumer
// records it at each outcome.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { NOTIFICATION_DELAY, objective } from '@shop/contracts/objectives';
import { installTestTelemetry } from '@shop/kit/test/otel';

const telemetry = installTestTelemetry();
// After the SDK: the module's instruments are made on import.
const { recordDelay } = await import('./metrics.ts');

interface Point {
  attributes: Record<string, unknown>;
  value: { count: number; buckets: { boundaries: number[]; counts: number[] } };
}
async function points(): Promise<Point[]> {
  const metric = (await telemetry.collectMetrics()).find((m) => m.descriptor.name === 'notification.delay');
  assert.ok(metric, 'notification.delay is recorded');
  assert.equal(metric.descriptor.unit, 's');
  return metric.dataPoints as Point[];
}

test('the delay is now minus occurred_at, by outcome, in the buckets the objective is read from', async () => {
  const created = Date.parse('2026-12-01T10:00:00.000Z');
  assert.equal(recordDelay('2026-12-01T10:00:00.000Z', 'sent', created + 60_000), 60);
  assert.equal(recordDelay('2026-12-01T10:00:00.000Z', 'sent', created + 60_001), 60.001);
  assert.equal(recordDelay('2026-12-01T10:00:00.000Z', 'sent', created + 250), 0.25);
  assert.equal(recordDelay('2026-12-01T10:00:00.000Z', 'dead_lettered', created + 5_000), 5);
  // A clock behind the producer's: no negative delay.
  assert.equal(recordDelay('2026-12-01T10:00:00.000Z', 'sent', created - 1_000), 0);

  const threshold = objective('notification-freshness').sli;
  assert.ok(threshold.kind === 'good-within');
  const byOutcome: Record<string, Point['value']> = Object.fromEntries((await points()).map((p) => [String(p.attributes['notification.outcome']), p.value]));
  assert.deepEqual(Object.keys(byOutcome).sort(), ['dead_lettered', 'sent']);
  const sent = byOutcome.sent!;
  assert.deepEqual(sent.buckets.boundaries, [...NOTIFICATION_DELAY.buckets]);
  assert.equal(sent.count, 4);
  // Cumulative up to the threshold's boundary: 0, 0.25 and exactly 60 s are within, 60.001 s is not.
  const at = sent.buckets.boundaries.indexOf(threshold.thresholdSeconds);
  assert.ok(at >= 0, '60 s is a boundary');
  const within = sent.buckets.counts.slice(0, at + 1).reduce((a, b) => a + b, 0);
  assert.equal(within, 3);
  assert.equal(byOutcome.dead_lettered!.count, 1);
});
