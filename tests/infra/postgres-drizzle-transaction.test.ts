// drizzle-orm over postgres.js against the real PostgreSQL: a table defined
// with pg-core in a throwaway schema of the `orders` database, written and
// read inside transactions (commit and rollback), and the server identity.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import postgres from 'postgres';
import { drizzle } from 'drizzle-orm/postgres-js';
import { eq, sql } from 'drizzle-orm';
import { integer, pgSchema, serial, text, timestamp } from 'drizzle-orm/pg-core';
import { postgresSettings, uniqueSuffix } from './settings.ts';

test('drizzle-orm on postgres.js: insert, select and update in a transaction on 127.0.0.1:5432', { timeout: 30_000 }, async (t) => {
  const schemaName = `it_${uniqueSuffix()}`;
  const schema = pgSchema(schemaName);
  const items = schema.table('items', {
    id: serial('id').primaryKey(),
    sku: text('sku').notNull().unique(),
    quantity: integer('quantity').notNull(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  });

  const client = postgres({ ...postgresSettings, max: 4, connect_timeout: 5, onnotice: () => {} });
  const db = drizzle({ client });
  try {
    // Which server is this? Version and the address the session really uses.
    const [identity] = await client<{ server_version: string; addr: string; port: number; db: string; superuser: string }[]>`
      select current_setting('server_version') as server_version,
             host(inet_server_addr()) as addr, inet_server_port() as port,
             current_database() as db, current_setting('is_superuser') as superuser`;
    assert.ok(identity, 'no identity row');
    const [shown] = await client<{ server_version: string }[]>`show server_version`;
    t.diagnostic(`PostgreSQL ${shown?.server_version} at ${identity.addr}:${identity.port}, database ${identity.db}, superuser ${identity.superuser}`);
    assert.match(shown?.server_version ?? '', /^\d+(\.\d+)?/);
    assert.equal(identity.addr, postgresSettings.host);
    assert.equal(identity.port, postgresSettings.port);
    assert.equal(identity.db, 'orders');

    // drizzle-kit is not in the loop here: create the table from its definition by hand.
    await db.execute(sql.raw(`create schema "${schemaName}"`));
    await db.execute(
      sql.raw(`create table "${schemaName}".items (
      id serial primary key, sku text not null unique, quantity integer not null,
      updated_at timestamptz not null default now())`),
    );

    const committed = await db.transaction(async (tx) => {
      const inserted = await tx
        .insert(items)
        .values([
          { sku: 'sku-1', quantity: 10 },
          { sku: 'sku-2', quantity: 3 },
        ])
        .returning();
      assert.equal(inserted.length, 2);
      // Conditional decrement, the shape of an atomic stock reservation.
      const reserved = await tx
        .update(items)
        .set({ quantity: sql`${items.quantity} - 4`, updatedAt: sql`now()` })
        .where(sql`${items.sku} = 'sku-1' and ${items.quantity} >= 4`)
        .returning({ quantity: items.quantity });
      assert.deepEqual(reserved, [{ quantity: 6 }]);
      return tx.select().from(items).where(eq(items.sku, 'sku-1'));
    });
    assert.equal(committed[0]?.quantity, 6);

    // A failing transaction leaves nothing behind.
    await assert.rejects(
      db.transaction(async (tx) => {
        await tx.update(items).set({ quantity: 0 }).where(eq(items.sku, 'sku-2'));
        await tx.insert(items).values({ sku: 'sku-1', quantity: 1 }); // unique violation
      }),
      (error: unknown) => {
        const text = String((error as { cause?: unknown }).cause ?? error);
        return /duplicate key|unique/i.test(text);
      },
    );
    const after = await db.select({ sku: items.sku, quantity: items.quantity }).from(items).orderBy(items.sku);
    assert.deepEqual(after, [
      { sku: 'sku-1', quantity: 6 },
      { sku: 'sku-2', quantity: 3 },
    ]);
  } finally {
    await client.unsafe(`drop schema if exists "${schemaName}" cascade`).catch(() => {});
    await client.end({ timeout: 5 });
  }
});

test('the orders, inventory and notifications databases exist and belong to shop', { timeout: 15_000 }, async () => {
  const client = postgres({ ...postgresSettings, database: 'postgres', max: 1, connect_timeout: 5 });
  try {
    const rows = await client<{ datname: string; owner: string }[]>`
      select datname, pg_get_userbyid(datdba) as owner from pg_database
      where datname in ('orders', 'inventory', 'notifications') order by datname`;
    assert.deepEqual(
      rows.map((r) => `${r.datname}:${r.owner}`),
      ['inventory:shop', 'notifications:shop', 'orders:shop'],
    );
  } finally {
    await client.end({ timeout: 5 });
  }
});
