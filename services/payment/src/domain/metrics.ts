// Business metrics of payment-service. Instruments are made on first use:
// the metrics API has no proxy meter, so one created before the SDK (or a
// test's in-memory provider) is registered would stay a no-op.
import { metrics, type Counter, type Histogram } from '@opentelemetry/api';
import { SERVICE_NAME } from '../config.ts';
import type { Payment } from './store.ts';

let paymentsCounter: Counter | undefined;
let amountHistogram: Histogram | undefined;

/** Counts a charge that reached the processor (replays are not charges). */
export function recordCharge(payment: Payment): void {
  const meter = metrics.getMeter(SERVICE_NAME);
  paymentsCounter ??= meter.createCounter('payments', {
    description: 'Charges processed, by status (and decline reason).',
    unit: '{payment}',
  });
  // Money is integer cents in one currency (USD) throughout the system.
  amountHistogram ??= meter.createHistogram('payment.amount', {
    description: 'Amount of each processed charge.',
    unit: '{USD_cents}',
    advice: { explicitBucketBoundaries: [500, 1_000, 2_500, 5_000, 10_000, 25_000, 50_000, 100_000, 250_000, 1_000_000] },
  });
  const attributes = { status: payment.status, ...(payment.reason ? { reason: payment.reason } : {}) };
  paymentsCounter.add(1, attributes);
  amountHistogram.record(payment.amountCents, { status: payment.status, 'payment.currency': payment.currency });
}
