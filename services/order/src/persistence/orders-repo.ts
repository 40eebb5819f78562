// Reads and writes of the orders table. Every status change goes from
// `pending` to a final status, conditionally: whoever settles an order first
// (the request or the recovery sweep) wins, and the other one sees it.
import { and, eq, lt, sql } from 'drizzle-orm';
import type { Executor } from '../db/client.ts';
import { orders, outbox, type NewOrder, type Order, type OrderStatus } from '../db/schema.ts';
import type { NewOutboxMessage } from '../outbox/outbox-repo.ts';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function isUuid(text: string): boolean {
  return UUID.test(text);
}

export async function findOrder(db: Executor, id: string): Promise<Order | undefined> {
  if (!isUuid(id)) return undefined;
  const rows = await db.select().from(orders).where(eq(orders.id, id)).limit(1);
  return rows[0];
}

export async function findByIdempotencyKey(db: Executor, userId: string, key: string): Promise<Order | undefined> {
  const rows = await db
    .select()
    .from(orders)
    .where(and(eq(orders.userId, userId), eq(orders.idempotencyKey, key)))
    .limit(1);
  return rows[0];
}

/** Inserts a pending order; false when the user already used this idempotency key. */
export async function insertPendingOrder(db: Executor, order: NewOrder): Promise<boolean> {
  const inserted = await db
    .insert(orders)
    .values({ ...order, status: 'pending' })
    .onConflictDoNothing({ target: [orders.userId, orders.idempotencyKey] })
    .returning({ id: orders.id });
  return inserted.length === 1;
}

/**
 * Removes a pending order that reserved and charged nothing (its price proved
 * stale before the reservation): the request prices it again as if it had
 * just begun. False when the order was no longer pending.
 */
export async function discardPendingOrder(db: Executor, id: string): Promise<boolean> {
  const deleted = await db
    .delete(orders)
    .where(and(eq(orders.id, id), eq(orders.status, 'pending')))
    .returning({ id: orders.id });
  return deleted.length === 1;
}

export type FinalStatus = Exclude<OrderStatus, 'pending'>;

/**
 * Moves a pending order to a final status. Returns the updated row, or
 * undefined when the order was no longer pending (someone settled it first).
 */
export async function settleOrder(
  db: Executor,
  id: string,
  change: { status: FinalStatus; failureReason?: string | null; transactionId?: string | null },
): Promise<Order | undefined> {
  const rows = await db
    .update(orders)
    .set({
      status: change.status,
      failureReason: change.failureReason ?? null,
      ...(change.transactionId === undefined ? {} : { transactionId: change.transactionId }),
      updatedAt: sql`now()`,
    })
    .where(and(eq(orders.id, id), eq(orders.status, 'pending')))
    .returning();
  return rows[0];
}

/**
 * Moves a pending order to `created` and writes its outbox row, in one
 * statement (data-modifying CTEs run atomically, and the row is inserted
 * only when the update matched). Returns the new updated_at, or undefined
 * when the order was no longer pending.
 */
export async function settleCreatedWithOutbox(db: Executor, orderId: string, transactionId: string, message: NewOutboxMessage): Promise<Date | undefined> {
  const rows = await db.execute<{ updated_at: string | Date }>(sql`
    with settled as (
      update ${orders} set status = 'created', failure_reason = null, transaction_id = ${transactionId}, updated_at = now()
      where id = ${orderId} and status = 'pending'
      returning updated_at
    ), queued as (
      insert into ${outbox} (id, aggregate_id, topic, message_key, payload, trace_context)
      select ${message.id}::uuid, ${message.aggregateId}::uuid, ${message.topic}, ${message.messageKey}, ${JSON.stringify(message.payload)}::jsonb, ${JSON.stringify(message.traceContext)}::jsonb
      from settled
    )
    select updated_at from settled`);
  const row = rows[0];
  return row ? new Date(row.updated_at) : undefined;
}

/**
 * Locks up to `limit` orders still pending after `olderThanMs`, skipping rows
 * another replica's sweep holds. Call inside a transaction: the locks last
 * until it ends.
 */
export async function claimStalePendingOrders(tx: Executor, olderThanMs: number, limit: number): Promise<Order[]> {
  return tx
    .select()
    .from(orders)
    .where(and(eq(orders.status, 'pending'), lt(orders.createdAt, sql`now() - make_interval(secs => ${olderThanMs / 1000})`)))
    .orderBy(orders.createdAt)
    .limit(limit)
    .for('update', { skipLocked: true });
}
