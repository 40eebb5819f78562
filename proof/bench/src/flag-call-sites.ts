// Where the services evaluate fault flags, and how often an order that
// succeeds passes each place: what `make bench-flags` multiplies the
// measured cost of one evaluation by. flag-call-sites.test.ts reads the
// services' sources and fails when a place is added, moved or removed
// without this list following.
import type { FlagName } from '@shop/contracts';

export interface FlagCallSite {
  /** Repository-relative source file. */
  file: string;
  flag: FlagName;
  /** Evaluations per created order (an upper bound where it is per batch). */
  perOrder: number;
  why: string;
}

export const FLAG_CALL_SITES: readonly FlagCallSite[] = [
  { file: 'services/order/src/clients/payment-client.ts', flag: 'paymentUnreachable', perOrder: 1, why: 'before each charge' },
  { file: 'services/order/src/clients/payment-client.ts', flag: 'paymentUnreachable', perOrder: 0, why: 'before a payment lookup: recovery only' },
  { file: 'services/order/src/saga/settle.ts', flag: 'relayPaused', perOrder: 1, why: 'when the outbox row is written' },
  { file: 'services/order/src/outbox/outbox-relay.ts', flag: 'relayPaused', perOrder: 1, why: 'once per relay batch (at most one per order)' },
  { file: 'services/payment/src/domain/processor.ts', flag: 'paymentLatencyMs', perOrder: 1, why: 'each charge' },
  { file: 'services/payment/src/domain/processor.ts', flag: 'paymentFailure', perOrder: 1, why: 'each charge' },
  { file: 'services/inventory/src/domain/reservations.ts', flag: 'inventorySlowdownMs', perOrder: 1, why: 'each reservation' },
  { file: 'services/notification/src/domain/channel.ts', flag: 'notificationFailure', perOrder: 1, why: 'each send' },
];

/** The services whose flag evaluations an order passes (the load generator's are not on an order's path). */
export const FLAG_SERVICE_DIRS = ['services/order', 'services/payment', 'services/inventory', 'services/notification'] as const;

/** Evaluations per created order, summed over the places. */
export const EVALUATIONS_PER_ORDER = FLAG_CALL_SITES.reduce((n, site) => n + site.perOrder, 0);

/**
 * Fresh resolutions per second across the services: each service resolves
 * each flag it evaluates anew at most once per kept interval (1 s), however
 * many orders pass.
 */
export const FRESH_RESOLUTIONS_PER_SECOND = new Set(FLAG_CALL_SITES.map((site) => `${site.file.split('/')[1]}:${site.flag}`)).size;
