// What really happened, read from each service's own store (never from the
// answers the load got): orders and outbox in `orders`, stock and
// reservations in `inventory`, notifications in `notifications`, and the
// payment ledger through payment-service's GET /payments?order_id=.
import { localServiceUrl } from '@shop/contracts';
import postgres from 'postgres';

const PG = `postgres://shop@${process.env.DATABASE_HOST ?? '127.0.0.1'}:${process.env.DATABASE_PORT ?? '5432'}`;
export const PAYMENT_URL = process.env.PAYMENT_URL ?? localServiceUrl('payment');

type Db = postgres.Sql<Record<string, never>>;

export interface Stores {
  orders: Db;
  inventory: Db;
  notifications: Db;
  close(): Promise<void>;
}

export function openStores(): Stores {
  // Small pools with short connect timeouts: these connections live through
  // PostgreSQL being killed, and must simply reconnect afterwards.
  const open = (db: string) => postgres(`${PG}/${db}`, { max: 2, connect_timeout: 3, idle_timeout: 5, onnotice: () => {} }) as unknown as Db;
  const stores = { orders: open('orders'), inventory: open('inventory'), notifications: open('notifications') };
  return {
    ...stores,
    close: async () => {
      await Promise.all(Object.values(stores).map((db) => db.end({ timeout: 2 })));
    },
  };
}

export interface OrderRow {
  id: string;
  userId: string;
  idempotencyKey: string | null;
  status: string;
  quantity: number;
  transactionId: string | null;
  failureReason: string | null;
}

export interface ReservationRow {
  orderId: string;
  quantity: number;
  status: string;
}

export interface OutboxRow {
  id: string;
  aggregateId: string;
  sent: boolean;
}

export interface NotificationRow {
  eventId: string;
  orderId: string;
  status: string;
}

export type PaymentRecord = { state: 'succeeded' | 'declined'; transactionId: string } | { state: 'none' | 'in_progress' } | { state: 'error'; detail: string };

/** A fresh product of the run's own, so its stock arithmetic is undisturbed by anyone else. */
export async function createProduct(stores: Stores, id: string, stock: number, priceCents: number): Promise<void> {
  await stores.inventory`insert into products (id, name, price_cents, stock) values (${id}, ${`Chaos product ${id}`}, ${priceCents}, ${stock})`;
}

export async function ordersOfProduct(stores: Stores, productId: string): Promise<OrderRow[]> {
  const rows = await stores.orders`
    select id, user_id, idempotency_key, status, quantity, transaction_id, failure_reason
    from orders where product_id = ${productId}`;
  return rows.map((r) => ({
    id: String(r.id),
    userId: String(r.user_id),
    idempotencyKey: r.idempotency_key === null ? null : String(r.idempotency_key),
    status: String(r.status),
    quantity: Number(r.quantity),
    transactionId: r.transaction_id === null ? null : String(r.transaction_id),
    failureReason: r.failure_reason === null ? null : String(r.failure_reason),
  }));
}

export async function stockOf(stores: Stores, productId: string): Promise<number> {
  const [row] = await stores.inventory`select stock from products where id = ${productId}`;
  return Number(row?.stock);
}

export async function reservationsOfProduct(stores: Stores, productId: string): Promise<ReservationRow[]> {
  const rows = await stores.inventory`select order_id, quantity, status from reservations where product_id = ${productId}`;
  return rows.map((r) => ({ orderId: String(r.order_id), quantity: Number(r.quantity), status: String(r.status) }));
}

export async function outboxOf(stores: Stores, orderIds: string[]): Promise<OutboxRow[]> {
  if (orderIds.length === 0) return [];
  const rows = await stores.orders`select id, aggregate_id, sent_at is not null as sent from outbox where aggregate_id = any(${orderIds}::uuid[])`;
  return rows.map((r) => ({ id: String(r.id), aggregateId: String(r.aggregate_id), sent: Boolean(r.sent) }));
}

export async function notificationsOf(stores: Stores, orderIds: string[]): Promise<NotificationRow[]> {
  if (orderIds.length === 0) return [];
  const rows = await stores.notifications`select event_id, order_id, status from notifications where order_id = any(${orderIds}::text[])`;
  return rows.map((r) => ({ eventId: String(r.event_id), orderId: String(r.order_id), status: String(r.status) }));
}

export async function paymentOf(orderId: string): Promise<PaymentRecord> {
  try {
    const response = await fetch(`${PAYMENT_URL}/payments?order_id=${encodeURIComponent(orderId)}`, { signal: AbortSignal.timeout(5000) });
    const body = (await response.json().catch(() => ({}))) as { status?: string; transaction_id?: string };
    if (response.status === 404) return { state: 'none' };
    if (response.status === 409) return { state: 'in_progress' };
    if (response.status === 200 && (body.status === 'succeeded' || body.status === 'declined') && typeof body.transaction_id === 'string') {
      return { state: body.status, transactionId: body.transaction_id };
    }
    return { state: 'error', detail: `HTTP ${response.status}` };
  } catch (err) {
    return { state: 'error', detail: (err as Error).message };
  }
}

/** payment's record of every order, a few lookups at a time. */
export async function paymentsOf(orderIds: string[], concurrency = 8): Promise<Map<string, PaymentRecord>> {
  const records = new Map<string, PaymentRecord>();
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < orderIds.length) {
        const id = orderIds[next++]!;
        records.set(id, await paymentOf(id));
      }
    }),
  );
  return records;
}
