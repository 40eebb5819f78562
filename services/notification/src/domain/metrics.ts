// notification-service business metrics (instruments made on first use).
import { metrics } from '@opentelemetry/api';
import { NOTIFICATION_DELAY, type NOTIFICATION_OUTCOMES } from '@shop/contracts/objectives';
import { onFirstUse } from '@shop/kit';
import { SERVICE_NAME } from '../config.ts';

const meter = () => metrics.getMeter(SERVICE_NAME);

export const sentCounter = onFirstUse(() => meter().createCounter('notifications.sent', { description: 'Notifications the channel accepted.' }));
export const failedCounter = onFirstUse(() =>
  meter().createCounter('notifications.failed', { description: 'Channel attempts that failed (each retry counts).' }),
);
export const deadLetteredCounter = onFirstUse(() =>
  meter().createCounter('notifications.dead_lettered', {
    description: 'Messages parked on the dead-letter topic, by reason (invalid_event, max_attempts).',
  }),
);
export const duplicatesCounter = onFirstUse(() =>
  meter().createCounter('notifications.duplicates', {
    description: 'Redelivered events already sent or dead-lettered, skipped.',
  }),
);
export const lagHistogram = onFirstUse(() =>
  meter().createHistogram('notification.lag', {
    description: "Time from the event's occurred_at to the notification being sent.",
    unit: 's',
    advice: { explicitBucketBoundaries: [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 900] },
  }),
);
// The notification freshness objective's measurement (@shop/contracts
// objectives.ts): every order.created event ends sent or dead-lettered, and
// each end is measured from the order's creation, so an order whose
// notification never comes counts against the objective too.
export const delayHistogram = onFirstUse(() =>
  meter().createHistogram('notification.delay', {
    description: "Time from the order's creation (the event's occurred_at) to its notification's final outcome (notification.outcome: sent, dead_lettered).",
    unit: 's',
    advice: { explicitBucketBoundaries: [...NOTIFICATION_DELAY.buckets] },
  }),
);

export type FinalOutcome = (typeof NOTIFICATION_OUTCOMES)[keyof typeof NOTIFICATION_OUTCOMES];

/** Measures an order's notification delay at its final outcome: now minus the event's occurred_at, in seconds (never negative: clocks differ). */
export function recordDelay(occurredAt: string, outcome: FinalOutcome, now: number = Date.now()): number {
  const seconds = Math.max(0, (now - Date.parse(occurredAt)) / 1000);
  delayHistogram().record(seconds, { 'notification.outcome': outcome });
  return seconds;
}
