// Business metrics of inventory-service. Instruments are made on first use:
// the metrics API has no proxy meter, so one created before the SDK (or a
// test's in-memory provider) is registered would stay a no-op.
import { metrics, type Counter } from '@opentelemetry/api';
import { SERVICE_NAME } from '../config.ts';

export type ReservationOutcome = 'reserved' | 'replayed' | 'conflict' | 'insufficient_stock' | 'price_changed' | 'unknown_product';
export type ReleaseOutcome = 'released' | 'already_released' | 'not_found';

let reservationsCounter: Counter | undefined;
let releasesCounter: Counter | undefined;

export function countReservation(outcome: ReservationOutcome): void {
  reservationsCounter ??= metrics.getMeter(SERVICE_NAME).createCounter('inventory.reservations', {
    description: 'Reserve requests, by outcome.',
    unit: '{reservation}',
  });
  reservationsCounter.add(1, { outcome });
}

export function countRelease(outcome: ReleaseOutcome): void {
  releasesCounter ??= metrics.getMeter(SERVICE_NAME).createCounter('inventory.releases', {
    description: 'Release requests, by outcome; only "released" put stock back.',
    unit: '{release}',
  });
  releasesCounter.add(1, { outcome });
}
