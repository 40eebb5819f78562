// The notifications table: one row per order event, keyed by the event id,
// which is what makes redeliveries harmless (INSERT ... ON CONFLICT DO NOTHING
// claims an event once).
import { sql } from 'drizzle-orm';
import { check, index, integer, pgTable, text, timestamp } from 'drizzle-orm/pg-core';

export const NOTIFICATION_STATUSES = ['pending', 'sent', 'dead_lettered'] as const;
export type NotificationStatus = (typeof NOTIFICATION_STATUSES)[number];

export const notifications = pgTable(
  'notifications',
  {
    eventId: text('event_id').primaryKey(),
    orderId: text('order_id').notNull(),
    type: text('type').notNull(),
    channel: text('channel').notNull().default('email'),
    // pending: claimed, not yet sent (a redelivery of a pending event is sent again).
    status: text('status', { enum: NOTIFICATION_STATUSES }).notNull().default('pending'),
    /** Channel attempts so far, across deliveries. */
    attempts: integer('attempts').notNull().default(0),
    lastError: text('last_error'),
    createdAt: timestamp('created_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
    sentAt: timestamp('sent_at', { withTimezone: true, mode: 'date' }),
  },
  (table) => [
    index('notifications_order_id_idx').on(table.orderId),
    check('notifications_status_check', sql`${table.status} in ('pending', 'sent', 'dead_lettered')`),
    check('notifications_channel_check', sql`${table.channel} in ('email')`),
    check('notifications_attempts_check', sql`${table.attempts} >= 0`),
  ],
);

export type Notification = typeof notifications.$inferSelect;
