// The orders database: the orders themselves, and the transactional outbox
// whose rows are written in the same transaction as the order they announce
// and relayed to Kafka afterwards.
import { sql } from 'drizzle-orm';
import { check, index, integer, jsonb, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { ORDER_STATUSES, type OrderStatus } from '@shop/contracts';

export { ORDER_STATUSES, type OrderStatus };

export const orders = pgTable(
  'orders',
  {
    id: uuid('id').primaryKey(),
    userId: text('user_id').notNull(),
    productId: text('product_id').notNull(),
    quantity: integer('quantity').notNull(),
    unitPriceCents: integer('unit_price_cents').notNull(),
    totalCents: integer('total_cents').notNull(),
    currency: text('currency').notNull(),
    status: text('status', { enum: ORDER_STATUSES }).notNull().default('pending'),
    failureReason: text('failure_reason'),
    transactionId: text('transaction_id'),
    idempotencyKey: text('idempotency_key'),
    // sha256 of the canonical request body: a key reused with another body is a conflict.
    requestHash: text('request_hash'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [
    // NULL keys never collide, so orders without a key are not constrained.
    uniqueIndex('orders_user_id_idempotency_key_uq').on(table.userId, table.idempotencyKey),
    // The recovery sweep looks for old pending orders only.
    index('orders_pending_created_at_idx').on(table.createdAt).where(sql`${table.status} = 'pending'`),
    check('orders_quantity_positive', sql`${table.quantity} > 0`),
    check('orders_total_cents_not_negative', sql`${table.totalCents} >= 0`),
    check('orders_status_known', sql`${table.status} in ('pending', 'created', 'rejected', 'payment_failed', 'failed')`),
  ],
);

export const outbox = pgTable(
  'outbox',
  {
    // The event id: consumers dedupe on it.
    id: uuid('id').primaryKey(),
    aggregateId: uuid('aggregate_id').notNull(),
    topic: text('topic').notNull(),
    messageKey: text('message_key').notNull(),
    payload: jsonb('payload').notNull(),
    // W3C carrier (traceparent, tracestate) of the span that wrote the row,
    // so the publish continues the trace of the request that caused it.
    traceContext: jsonb('trace_context').$type<Record<string, string>>().notNull().default({}),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    sentAt: timestamp('sent_at', { withTimezone: true }),
    attempts: integer('attempts').notNull().default(0),
    lastError: text('last_error'),
  },
  (table) => [
    // The relay only ever reads unsent rows; sent ones pile up outside the index.
    index('outbox_unsent_idx').on(table.createdAt).where(sql`${table.sentAt} is null`),
    index('outbox_aggregate_id_idx').on(table.aggregateId),
  ],
);

export type Order = typeof orders.$inferSelect;
export type NewOrder = typeof orders.$inferInsert;
export type OutboxRow = typeof outbox.$inferSelect;
