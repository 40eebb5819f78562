// Test helpers over the real inventory database: migrations applied the way
// the service applies them, and throwaway products with unique ids so tests
// can run beside other test runs on the same database.
import { randomUUID } from 'node:crypto';
import { runMigrations, type Sql } from '@shop/kit';
import { MIGRATIONS_FOLDER } from '../src/db/migrations.ts';

// Always the inventory database (never DATABASE_URL, which a shell may have
// pointed at another service's database); host and port are overridable.
const host = process.env.DATABASE_HOST ?? '127.0.0.1';
const port = process.env.DATABASE_PORT ?? '5432';
export const TEST_DATABASE_URL = `postgres://shop@${host}:${port}/inventory`;

export async function migrateTestDatabase(): Promise<void> {
  await runMigrations(TEST_DATABASE_URL, MIGRATIONS_FOLDER);
}

export function uniqueId(prefix: string): string {
  return `${prefix}-${randomUUID()}`;
}

/** Creates products this test run owns and removes them (and their reservations) afterwards. */
export function testProducts(sql: Sql) {
  const created: string[] = [];
  return {
    async create(options: { stock: number; priceCents?: number; name?: string; id?: string }): Promise<string> {
      const id = options.id ?? uniqueId('TEST');
      await sql`insert into products (id, name, price_cents, stock)
        values (${id}, ${options.name ?? 'Test product'}, ${options.priceCents ?? 1000}, ${options.stock})`;
      created.push(id);
      return id;
    },
    async stockOf(id: string): Promise<number | undefined> {
      const [row] = await sql<{ stock: number }[]>`select stock from products where id = ${id}`;
      return row?.stock;
    },
    async removeAll(): Promise<void> {
      if (created.length === 0) return;
      await sql`delete from reservations where product_id in ${sql(created)}`;
      await sql`delete from products where id in ${sql(created)}`;
    },
  };
}
