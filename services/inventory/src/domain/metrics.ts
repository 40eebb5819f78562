// Business metrics of inventory-service (instruments made on first use).
import { metrics } from '@opentelemetry/api';
import { onFirstUse } from '@shop/kit';
import { SERVICE_NAME } from '../config.ts';

export type ReservationOutcome = 'reserved' | 'replayed' | 'conflict' | 'insufficient_stock' | 'price_changed' | 'unknown_product';
export type ReleaseOutcome = 'released' | 'already_released' | 'not_found';

const reservationsCounter = onFirstUse(() =>
  metrics.getMeter(SERVICE_NAME).createCounter('inventory.reservations', {
    description: 'Reserve requests, by outcome.',
    unit: '{reservation}',
  }),
);
const releasesCounter = onFirstUse(() =>
  metrics.getMeter(SERVICE_NAME).createCounter('inventory.releases', {
    description: 'Release requests, by outcome; only "released" put stock back.',
    unit: '{release}',
  }),
);

export function countReservation(outcome: ReservationOutcome): void {
  reservationsCounter().add(1, { outcome });
}

export function countRelease(outcome: ReleaseOutcome): void {
  releasesCounter().add(1, { outcome });
}
