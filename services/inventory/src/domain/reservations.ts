// Reserve and release stock for an order. Each is one transaction whose
// statements are conditional, so concurrent requests cannot oversell or
// release twice: the database decides, never a value read earlier. The
// fault flag inventorySlowdownMs, while on, delays each reservation by its
// value before the transaction starts (no row is locked while it waits).
import { SPANS } from '@shop/contracts';
import { and, eq, sql } from 'drizzle-orm';
import { FLAGS_OFF, withSpan, type FaultFlags } from '@shop/kit';
import type { Database } from '../db/client.ts';
import { products, reservations, type Reservation, type ReservationStatus } from '../db/schema.ts';
import { countRelease, countReservation } from './metrics.ts';

export interface ReserveRequest {
  orderId: string;
  productId: string;
  quantity: number;
  /** Reserve only while this is the product's unit price (the price the order was recorded with). */
  unitPriceCents?: number;
}

/** What a reserve or release answers with (timestamps live on the full row). */
export interface ReservationView {
  orderId: string;
  productId: string;
  quantity: number;
  status: ReservationStatus;
}

export type ReserveResult =
  | { kind: 'reserved'; reservation: ReservationView; remaining: number }
  /** The same order asked again for the same thing: nothing deducted. */
  | { kind: 'replayed'; reservation: ReservationView }
  /** The order already holds a reservation for another product or quantity. */
  | { kind: 'conflict'; reservation: ReservationView }
  | { kind: 'insufficient_stock'; available: number }
  /** The order was priced at another price than the product's now: nothing reserved. */
  | { kind: 'price_changed'; priceCents: number }
  | { kind: 'unknown_product' };

export type ReleaseResult =
  | { kind: 'released'; reservation: ReservationView }
  | { kind: 'already_released'; reservation: ReservationView }
  | { kind: 'not_found' };

export async function reserve(db: Database, request: ReserveRequest, flags: FaultFlags = FLAGS_OFF): Promise<ReserveResult> {
  const attributes = {
    'order.id': request.orderId,
    'product.id': request.productId,
    'inventory.quantity': request.quantity,
  };
  return withSpan(SPANS.inventoryDeduct, { attributes }, async (span) => {
    const slowdownMs = await flags.number('inventorySlowdownMs');
    if (slowdownMs) await new Promise((resolve) => setTimeout(resolve, slowdownMs));
    const result = await reserveOnce(db, request);
    // Running out of stock is a business outcome, not a failure of this
    // service: the span stays OK and says what happened.
    span.setAttribute('inventory.outcome', result.kind);
    if (result.kind === 'insufficient_stock') {
      span.setAttribute('inventory.available', result.available);
      span.addEvent('inventory.insufficient_stock', { 'inventory.available': result.available, 'inventory.quantity': request.quantity });
    } else if (result.kind === 'reserved') {
      span.setAttribute('inventory.remaining', result.remaining);
    } else if (result.kind === 'price_changed') {
      span.setAttribute('product.price_cents', result.priceCents);
    }
    countReservation(result.kind);
    return result;
  });
}

type ReserveRow = {
  outcome: 'reserved' | 'replayed' | 'conflict' | 'insufficient_stock' | 'price_changed' | 'unknown_product';
  remaining: number | null;
  available: number | null;
  price_cents: number | null;
  held_product_id: string | null;
  held_quantity: number | null;
  held_status: ReservationStatus | null;
};

/**
 * One round trip: the claim and the conditional deduct run in the database
 * (the reserve_stock function, migration 0002), as one transaction.
 */
async function reserveOnce(db: Database, { orderId, productId, quantity, unitPriceCents }: ReserveRequest): Promise<ReserveResult> {
  const [row] = await db.execute<ReserveRow>(
    sql`select * from reserve_stock(${orderId}, ${productId}, ${quantity}::integer, ${unitPriceCents ?? null}::integer)`,
  );
  if (!row) throw new Error('reserve_stock returned no row');
  const held = (): ReservationView => ({ orderId, productId: row.held_product_id!, quantity: row.held_quantity!, status: row.held_status! });
  switch (row.outcome) {
    case 'reserved':
      return { kind: 'reserved', reservation: held(), remaining: row.remaining! };
    case 'replayed':
    case 'conflict':
      return { kind: row.outcome, reservation: held() };
    case 'insufficient_stock':
      return { kind: 'insufficient_stock', available: row.available ?? 0 };
    case 'price_changed':
      return { kind: 'price_changed', priceCents: row.price_cents! };
    case 'unknown_product':
      return { kind: 'unknown_product' };
  }
}

export async function release(db: Database, orderId: string): Promise<ReleaseResult> {
  return withSpan('inventory.release', { attributes: { 'order.id': orderId } }, async (span) => {
    const result = await db.transaction(async (tx): Promise<ReleaseResult> => {
      // Only the request that flips reserved -> released puts stock back; a
      // concurrent second release waits on the row lock, then matches nothing.
      const [released] = await tx
        .update(reservations)
        .set({ status: 'released', updatedAt: sql`now()` })
        .where(and(eq(reservations.orderId, orderId), eq(reservations.status, 'reserved')))
        .returning();
      if (released) {
        await tx
          .update(products)
          .set({ stock: sql`${products.stock} + ${released.quantity}`, updatedAt: sql`now()` })
          .where(eq(products.id, released.productId));
        return { kind: 'released', reservation: view(released) };
      }
      const [existing] = await tx.select().from(reservations).where(eq(reservations.orderId, orderId)).limit(1);
      return existing ? { kind: 'already_released', reservation: view(existing) } : { kind: 'not_found' };
    });
    span.setAttribute('inventory.outcome', result.kind);
    if (result.kind !== 'not_found') {
      span.setAttributes({ 'product.id': result.reservation.productId, 'inventory.quantity': result.reservation.quantity });
    }
    countRelease(result.kind);
    return result;
  });
}

export async function findReservation(db: Database, orderId: string): Promise<Reservation | undefined> {
  const [reservation] = await db.select().from(reservations).where(eq(reservations.orderId, orderId)).limit(1);
  return reservation;
}

function view(row: Reservation): ReservationView {
  return { orderId: row.orderId, productId: row.productId, quantity: row.quantity, status: row.status };
}
