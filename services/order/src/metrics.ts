// Business metrics of order-service (instruments made on first use).
import { metrics, type Meter } from '@opentelemetry/api';
import { onFirstUse } from '@shop/kit';
import { SERVICE_NAME } from './config.ts';

export const FAILURE_REASONS = [
  'insufficient_stock',
  'payment_declined',
  'amount_mismatch',
  'unknown_product',
  'dependency_unavailable',
  'recovered_without_payment',
] as const;
export type FailureReason = (typeof FAILURE_REASONS)[number];

export function meter(): Meter {
  return metrics.getMeter(SERVICE_NAME);
}

const get = onFirstUse(() => {
  const m = meter();
  return {
    created: m.createCounter('orders.created', { description: 'Orders that reached status created.', unit: '{order}' }),
    failed: m.createCounter('orders.failed', { description: 'Order requests that did not create an order, by reason.', unit: '{order}' }),
    total: m.createHistogram('order.total', {
      description: 'Total of created orders.',
      unit: '{cent}',
      advice: { explicitBucketBoundaries: [500, 1000, 2500, 5000, 10_000, 25_000, 50_000, 100_000, 250_000] },
    }),
  };
});

export function recordOrderCreated(totalCents: number, currency: string): void {
  get().created.add(1);
  get().total.record(totalCents, { currency });
}

export function recordOrderFailed(reason: FailureReason): void {
  get().failed.add(1, { reason });
}

/** `outbox.pending`: unsent outbox rows, read when metrics are collected. */
export function registerOutboxPendingGauge(countUnsent: () => Promise<number>): () => void {
  const gauge = meter().createObservableGauge('outbox.pending', {
    description: 'Outbox rows not yet acknowledged by Kafka.',
    unit: '{message}',
  });
  const callback = async (result: { observe(value: number): void }) => {
    try {
      result.observe(await countUnsent());
    } catch {
      // Database unreachable: no observation rather than a wrong one.
    }
  };
  gauge.addCallback(callback);
  return () => gauge.removeCallback(callback);
}
