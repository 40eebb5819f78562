import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { trace, SpanKind, SpanStatusCode } from '@opentelemetry/api';
import { drizzle } from 'drizzle-orm/postgres-js';
import { pgTable, serial, text, integer } from 'drizzle-orm/pg-core';
import { eq, sql as dsql } from 'drizzle-orm';
import { installTestTelemetry } from '../test/otel.ts';

const telemetry = installTestTelemetry();
const { createPostgres, reconnectBackoffSeconds, summarizeSql } = await import('./db.ts');

const host = process.env.DATABASE_HOST ?? '127.0.0.1';
const port = process.env.DATABASE_PORT ?? '5432';
const table = `kit_db_test_${process.pid}`;
const sql = createPostgres(`postgres://shop@${host}:${port}/orders`, { max: 2 });
const widgets = pgTable(table, { id: serial('id').primaryKey(), name: text('name').notNull(), stock: integer('stock').notNull() });
const db = drizzle({ client: sql });
const tracer = trace.getTracer('db-test');

after(async () => {
  await sql.unsafe(`drop table if exists ${table}`);
  await sql.end();
});

test('summarizeSql finds the operation and the table of common statements', () => {
  assert.deepEqual(summarizeSql('select "id" from "orders" where "id" = $1'), { operation: 'SELECT', collection: 'orders' });
  assert.deepEqual(summarizeSql('insert into "public"."outbox" ("id") values ($1)'), { operation: 'INSERT', collection: 'outbox' });
  assert.deepEqual(summarizeSql('UPDATE products SET stock = stock - $1 WHERE id = $2 AND stock >= $1'), { operation: 'UPDATE', collection: 'products' });
  assert.deepEqual(summarizeSql('delete from "a""b"'), { operation: 'DELETE', collection: 'a"b' });
  assert.deepEqual(summarizeSql('select 1'), { operation: 'SELECT', collection: undefined });
});

test('a WITH statement that writes is named by its first write; a read-only one stays WITH', () => {
  const settle =
    'with settled as (update "orders" set status = $1 where id = $2 returning updated_at), queued as (insert into "outbox" (id) select $3 from settled) select updated_at from settled';
  assert.deepEqual(summarizeSql(settle), { operation: 'UPDATE', collection: 'orders' });
  assert.deepEqual(summarizeSql('WITH x AS (INSERT INTO public.audit (a) VALUES ($1) RETURNING a) SELECT * FROM x'), {
    operation: 'INSERT',
    collection: 'audit',
  });
  assert.deepEqual(summarizeSql('with gone as (delete from "a""b" returning 1) select count(*) from gone'), { operation: 'DELETE', collection: 'a"b' });
  assert.deepEqual(summarizeSql('with recent as (select * from orders) select * from recent'), { operation: 'WITH', collection: undefined });
  assert.deepEqual(summarizeSql('with locked as (select id from outbox for update skip locked) select * from locked'), {
    operation: 'WITH',
    collection: undefined,
  });
});

test('drizzle queries over postgres.js become CLIENT spans with the db.* conventions', async () => {
  await sql.unsafe(`create table if not exists ${table} (id serial primary key, name text not null, stock integer not null)`);
  telemetry.spans.reset();
  await tracer.startActiveSpan('work', async (parent) => {
    await db.insert(widgets).values({ name: 'bolt', stock: 5 });
    await db.transaction(async (tx) => {
      await tx
        .update(widgets)
        .set({ stock: dsql`${widgets.stock} - 2` })
        .where(eq(widgets.name, 'bolt'));
    });
    const rows = await db.select().from(widgets).where(eq(widgets.name, 'bolt'));
    assert.equal(rows[0]?.stock, 3);
    parent.end();
  });
  const finished = await telemetry.finishedSpans();
  const spans = finished.filter((s) => s.name !== 'work');
  assert.deepEqual(
    spans.map((s) => s.name),
    [`INSERT ${table}`, `UPDATE ${table}`, `SELECT ${table}`],
  );
  const parentId = finished.find((s) => s.name === 'work')?.spanContext().spanId;
  for (const span of spans) {
    assert.equal(span.kind, SpanKind.CLIENT);
    assert.equal(span.parentSpanContext?.spanId, parentId);
    assert.equal(span.attributes['db.system.name'], 'postgresql');
    assert.equal(span.attributes['db.namespace'], 'orders');
    assert.equal(span.attributes['db.collection.name'], table);
    assert.equal(span.attributes['server.address'], host);
    assert.equal(span.attributes['server.port'], Number(port));
    assert.match(String(span.attributes['db.query.text']), /\$1/, 'parameters stay out of the query text');
  }
  assert.equal(spans[0]?.attributes['db.operation.name'], 'INSERT');
  assert.equal(spans[1]?.attributes['db.operation.name'], 'UPDATE');
  assert.equal(spans[2]?.attributes['db.operation.name'], 'SELECT');
});

test('a failing query is an ERROR span with the SQLSTATE', async () => {
  telemetry.spans.reset();
  await tracer.startActiveSpan('work', async (parent) => {
    await assert.rejects(sql`select * from no_such_table_here`);
    parent.end();
  });
  const span = (await telemetry.finishedSpans()).find((s) => s.name === 'SELECT no_such_table_here');
  assert.ok(span);
  assert.equal(span.status.code, SpanStatusCode.ERROR);
  assert.equal(span.attributes['db.response.status_code'], '42P01');
  assert.equal(span.attributes['error.type'], '42P01');
  assert.equal(span.events[0]?.name, 'exception');
});

test('queries outside any trace make no lone spans', async () => {
  telemetry.spans.reset();
  await sql`select 1`;
  assert.equal((await telemetry.finishedSpans()).length, 0);
});

test('every query is timed into db.client.operation.duration', async () => {
  const metrics = await telemetry.collectMetrics();
  const histogram = metrics.find((m) => m.descriptor.name === 'db.client.operation.duration');
  assert.ok(histogram, 'histogram exported');
  assert.equal(histogram.descriptor.unit, 's');
  const points = histogram.dataPoints as { attributes: Record<string, unknown>; value: { count: number } }[];
  const selects = points.find((p) => p.attributes['db.operation.name'] === 'SELECT' && p.attributes['db.collection.name'] === table);
  assert.ok(selects && selects.value.count >= 1);
  const failed = points.find((p) => p.attributes['error.type'] === '42P01');
  assert.ok(failed, 'failures are counted with error.type');
});

test('reconnect backoff stays within a second however many connects failed', () => {
  for (const retries of [0, 1, 5, 10, 50]) {
    const seconds = reconnectBackoffSeconds(retries);
    assert.ok(seconds > 0 && seconds <= 1, `retries ${retries}: ${seconds} s`);
  }
});

test('a pool whose server is away keeps failing fast instead of waiting out a growing backoff', async () => {
  // Nothing listens on port 1. With postgres.js's default backoff the 8th
  // query waits ~20 s before it even tries; here each one fails within ~1 s.
  const away = createPostgres('postgres://shop@127.0.0.1:1/orders', { max: 1, connectTimeout: 1 });
  try {
    for (let i = 1; i <= 8; i++) {
      const started = performance.now();
      await assert.rejects(away`select 1`, (err: { code?: string }) => err.code === 'ECONNREFUSED');
      assert.ok(performance.now() - started < 1500, `query ${i} took ${Math.round(performance.now() - started)} ms to fail`);
    }
  } finally {
    await away.end({ timeout: 1 });
  }
});
