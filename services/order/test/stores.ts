// Direct access to the real stores for order's tests: the orders database
// (migrated as the service does), throwaway products in the inventory
// database, and reads of what inventory and payment recorded.
import { randomUUID } from 'node:crypto';
import postgres from 'postgres';
import { createPostgres, runMigrations } from '@shop/kit';
import { createDatabase } from '../src/db/client.ts';
import { MIGRATIONS_FOLDER } from '../src/db/migrations.ts';

const host = process.env.DATABASE_HOST ?? '127.0.0.1';
const port = process.env.DATABASE_PORT ?? '5432';
// Always these databases, never DATABASE_URL (a shell may point it elsewhere).
export const ORDERS_DATABASE_URL = `postgres://shop@${host}:${port}/orders`;
const INVENTORY_DATABASE_URL = `postgres://shop@${host}:${port}/inventory`;
export const KAFKA_BROKERS = (process.env.KAFKA_BROKERS ?? '127.0.0.1:9092').split(',');

/**
 * A throwaway orders database of this test's own, for an order-service
 * process whose relay must not see (or be seen by) other relays' rows.
 */
export async function createScratchOrdersDatabase() {
  const name = `orders_test_${randomUUID().replaceAll('-', '').slice(0, 16)}`;
  const admin = postgres(ORDERS_DATABASE_URL, { max: 1, onnotice: () => {} });
  await admin.unsafe(`create database ${name}`);
  const url = `postgres://shop@${host}:${port}/${name}`;
  await runMigrations(url, MIGRATIONS_FOLDER);
  const sql = createPostgres(url, { max: 2, applicationName: 'order-service-test' });
  return {
    url,
    sql,
    db: createDatabase(sql),
    async drop() {
      await sql.end({ timeout: 5 });
      await admin.unsafe(`drop database if exists ${name} with (force)`);
      await admin.end({ timeout: 5 });
    },
  };
}

/** The orders database, migrated, through the kit's traced client (as the service uses it). */
export async function openOrdersDatabase() {
  await runMigrations(ORDERS_DATABASE_URL, MIGRATIONS_FOLDER);
  const sql = createPostgres(ORDERS_DATABASE_URL, { max: 5, applicationName: 'order-service-test' });
  return { sql, db: createDatabase(sql) };
}

export const uniqueUser = () => `test-user-${randomUUID().slice(0, 8)}`;

/** Products this test file owns in the inventory database, removed (with their reservations) afterwards. */
export function testProducts() {
  const sql = postgres(INVENTORY_DATABASE_URL, { max: 2, onnotice: () => {} });
  const created: string[] = [];
  return {
    async create(options: { priceCents: number; stock: number }): Promise<string> {
      const id = `TEST-ORDER-${randomUUID()}`;
      await sql`insert into products (id, name, price_cents, stock) values (${id}, ${'Order test product'}, ${options.priceCents}, ${options.stock})`;
      created.push(id);
      return id;
    },
    async setPrice(id: string, priceCents: number): Promise<void> {
      await sql`update products set price_cents = ${priceCents} where id = ${id}`;
    },
    async stockOf(id: string): Promise<number | undefined> {
      const [row] = await sql<{ stock: number }[]>`select stock from products where id = ${id}`;
      return row?.stock;
    },
    async close(): Promise<void> {
      if (created.length > 0) {
        await sql`delete from reservations where product_id in ${sql(created)}`;
        await sql`delete from products where id in ${sql(created)}`;
      }
      await sql.end({ timeout: 5 });
    },
  };
}

export async function getJson(url: string): Promise<{ status: number; body: Record<string, unknown> }> {
  const response = await fetch(url);
  const text = await response.text();
  return { status: response.status, body: text ? (JSON.parse(text) as Record<string, unknown>) : {} };
}

export async function postJson(url: string, body?: unknown): Promise<{ status: number; body: Record<string, unknown> }> {
  const response = await fetch(url, {
    method: 'POST',
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  return { status: response.status, body: text ? (JSON.parse(text) as Record<string, unknown>) : {} };
}

/** Polls until `done` holds or the deadline passes; returns the last value. */
export async function eventually<T>(probe: () => Promise<T>, done: (value: T) => boolean, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (done(value) || Date.now() > deadline) return value;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
