// notification-service business metrics. Imported after the SDK starts, so
// module-level instruments are the real ones.
import { metrics } from '@opentelemetry/api';
import { SERVICE_NAME } from '../config.ts';

const meter = metrics.getMeter(SERVICE_NAME);

export const sentCounter = meter.createCounter('notifications.sent', { description: 'Notifications the channel accepted.' });
export const failedCounter = meter.createCounter('notifications.failed', { description: 'Channel attempts that failed (each retry counts).' });
export const deadLetteredCounter = meter.createCounter('notifications.dead_lettered', {
  description: 'Messages parked on the dead-letter topic, by reason (invalid_event, max_attempts).',
});
export const duplicatesCounter = meter.createCounter('notifications.duplicates', {
  description: 'Redelivered events already sent or dead-lettered, skipped.',
});
export const lagHistogram = meter.createHistogram('notification.lag', {
  description: "Time from the event's occurred_at to the notification being sent.",
  unit: 's',
  advice: { explicitBucketBoundaries: [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 900] },
});
