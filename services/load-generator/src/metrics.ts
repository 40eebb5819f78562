// The load generator's metrics: what it sent, by outcome, and the rate it
// keeps (instruments made on first use).
import { metrics } from '@opentelemetry/api';
import { onFirstUse } from '@shop/kit';
import type { Outcome } from '@shop/load';
import { SERVICE_NAME } from './config.ts';
import type { EffectiveRate } from './rate.ts';

const ordersCounter = onFirstUse(() =>
  metrics.getMeter(SERVICE_NAME).createCounter('load_generator.orders', {
    description: 'Orders the load generator sent, by outcome (HTTP status, timeout, network-error, aborted, not-sent).',
    unit: '{order}',
  }),
);

export function recordOrder(outcome: Outcome | 'not-sent'): void {
  ordersCounter().add(1, { outcome: String(outcome) });
}

/** Reports the effective rate while registered; returns the unregister. */
export function registerRateGauge(rate: () => EffectiveRate): () => void {
  const gauge = metrics.getMeter(SERVICE_NAME).createObservableGauge('load_generator.rate', {
    description: 'Orders per second the load generator keeps, and whether the fault flag or its configuration says so.',
    unit: '{order}/s',
  });
  const callback = (result: { observe(value: number, attributes: Record<string, string>): void }) => {
    const now = rate();
    result.observe(now.perSecond, { source: now.source });
  };
  gauge.addCallback(callback);
  return () => gauge.removeCallback(callback);
}
