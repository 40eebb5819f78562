// The notifications table's operations. The claim is the dedupe: the first
// delivery of an event inserts it `pending`; any later delivery finds the row
// and learns whether the event is done (sent, dead_lettered) or was left
// pending by a delivery that did not finish (then it is processed again).
import { asc, eq, sql } from 'drizzle-orm';
import type { Database } from '../db/client.ts';
import { notifications, type Notification } from '../db/schema.ts';
import type { OrderCreatedEvent } from './order-event.ts';

export interface Claim {
  row: Notification;
  /** True when this delivery inserted the row. */
  fresh: boolean;
}

export async function claimNotification(db: Database, event: OrderCreatedEvent): Promise<Claim> {
  const inserted = await db
    .insert(notifications)
    .values({ eventId: event.event_id, orderId: event.order_id, type: event.type, channel: 'email', status: 'pending' })
    .onConflictDoNothing({ target: notifications.eventId })
    .returning();
  if (inserted[0]) return { row: inserted[0], fresh: true };
  const [existing] = await db.select().from(notifications).where(eq(notifications.eventId, event.event_id));
  if (!existing) throw new Error(`notification ${event.event_id} vanished between insert and select`);
  return { row: existing, fresh: false };
}

export async function recordFailedAttempt(db: Database, eventId: string, attempts: number, error: string): Promise<void> {
  await db.update(notifications).set({ attempts, lastError: error }).where(eq(notifications.eventId, eventId));
}

export async function markSent(db: Database, eventId: string, attempts: number): Promise<Date> {
  const [row] = await db
    .update(notifications)
    .set({ status: 'sent', attempts, sentAt: sql`now()` })
    .where(eq(notifications.eventId, eventId))
    .returning({ sentAt: notifications.sentAt });
  return row?.sentAt ?? new Date();
}

export async function markDeadLettered(db: Database, eventId: string, attempts: number, error: string): Promise<void> {
  await db.update(notifications).set({ status: 'dead_lettered', attempts, lastError: error }).where(eq(notifications.eventId, eventId));
}

export async function notificationsForOrder(db: Database, orderId: string): Promise<Notification[]> {
  return db.select().from(notifications).where(eq(notifications.orderId, orderId)).orderBy(asc(notifications.createdAt), asc(notifications.eventId));
}
