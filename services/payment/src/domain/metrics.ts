// Business metrics of payment-service (instruments made on first use).
import { metrics } from '@opentelemetry/api';
import { onFirstUse } from '@shop/kit';
import { SERVICE_NAME } from '../config.ts';
import type { Payment } from './store.ts';

const paymentsCounter = onFirstUse(() =>
  metrics.getMeter(SERVICE_NAME).createCounter('payments', {
    description: 'Charges processed, by status (and decline reason).',
    unit: '{payment}',
  }),
);
// Money is integer cents in one currency (USD) throughout the system.
const amountHistogram = onFirstUse(() =>
  metrics.getMeter(SERVICE_NAME).createHistogram('payment.amount', {
    description: 'Amount of each processed charge.',
    unit: '{USD_cents}',
    advice: { explicitBucketBoundaries: [500, 1_000, 2_500, 5_000, 10_000, 25_000, 50_000, 100_000, 250_000, 1_000_000] },
  }),
);

/** Counts a charge that reached the processor (replays are not charges). */
export function recordCharge(payment: Payment): void {
  const attributes = { status: payment.status, ...(payment.reason ? { reason: payment.reason } : {}) };
  paymentsCounter().add(1, attributes);
  amountHistogram().record(payment.amountCents, { status: payment.status, 'payment.currency': payment.currency });
}
