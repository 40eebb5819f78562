// The inventory database: the catalogue with its stock, and one reservation
// per order. The CHECKs are the last line of defence behind the conditional
// UPDATE: stock can never go negative, whatever the code does.
import { sql } from 'drizzle-orm';
import { check, index, integer, pgTable, text, timestamp } from 'drizzle-orm/pg-core';

export const products = pgTable(
  'products',
  {
    id: text('id').primaryKey(),
    name: text('name').notNull(),
    priceCents: integer('price_cents').notNull(),
    currency: text('currency').notNull().default('USD'),
    stock: integer('stock').notNull(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [check('products_price_cents_positive', sql`${table.priceCents} > 0`), check('products_stock_not_negative', sql`${table.stock} >= 0`)],
);

export const RESERVATION_STATUSES = ['reserved', 'released'] as const;
export type ReservationStatus = (typeof RESERVATION_STATUSES)[number];

export const reservations = pgTable(
  'reservations',
  {
    // One reservation per order: the primary key is what makes reserve idempotent.
    orderId: text('order_id').primaryKey(),
    productId: text('product_id')
      .notNull()
      .references(() => products.id),
    quantity: integer('quantity').notNull(),
    status: text('status', { enum: RESERVATION_STATUSES }).notNull().default('reserved'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [
    check('reservations_quantity_positive', sql`${table.quantity} > 0`),
    check('reservations_status_known', sql`${table.status} in ('reserved', 'released')`),
    index('reservations_product_id_idx').on(table.productId),
  ],
);

export type Product = typeof products.$inferSelect;
export type Reservation = typeof reservations.$inferSelect;
