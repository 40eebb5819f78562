-- The database floor: the SQL statements one order executes, as the services
-- send them (drizzle's text, read from the code and checked against the
-- `db.query.text` of a real order's PostgreSQL spans by `make bench`), with
-- the services' transaction boundaries, random ids, run by pgbench as one
-- transaction script. Each statement carries `-- span: <name>`, the span
-- name it has in a trace; BEGIN/COMMIT are not traced (postgres.js sends
-- them itself). All three services' tables live in one scratch database
-- (`bench_floor`) of the same server: same WAL, same fsync.
\set user random(1, 64)
\set product random(1, 100)
\set n random(1, 17592186044415)
-- inventory-service, inventory.get: the price
-- span: SELECT products
select "id", "name", "price_cents", "currency", "stock", "updated_at" from "products" where "products"."id" = 'BENCH-P' || lpad(:product::text, 3, '0') limit 1;
-- order-service, order.saveDatabase: the pending row
-- span: INSERT orders
insert into "orders" ("id", "user_id", "product_id", "quantity", "unit_price_cents", "total_cents", "currency", "status", "failure_reason", "transaction_id", "idempotency_key", "request_hash", "created_at", "updated_at") values (('00000000-0000-4000-8000-' || lpad(to_hex(:n::bigint), 12, '0'))::uuid, 'bench-' || :user::text, 'BENCH-P' || lpad(:product::text, 3, '0'), 1, 1999, 1999, 'USD', 'pending', null, null, '10000000-0000-4000-8000-' || lpad(to_hex(:n::bigint), 12, '0'), 'a3f1c2d4e5b6a7980123456789abcdef0123456789abcdef0123456789abcdef', now(), now()) on conflict ("user_id","idempotency_key") do nothing returning "id";
-- inventory-service, inventory.deduct: the claim and the conditional deduct, in the database (reserve_stock)
-- span: SELECT reserve_stock
select * from reserve_stock(('00000000-0000-4000-8000-' || lpad(to_hex(:n::bigint), 12, '0'))::text, 'BENCH-P' || lpad(:product::text, 3, '0'), 1::integer);
-- order-service, completeOrder: created + outbox row, one statement
-- span: UPDATE orders
with settled as ( update "orders" set status = 'created', failure_reason = null, transaction_id = 'txn_' || lpad(to_hex(:n::bigint), 12, '0'), updated_at = now() where id = ('00000000-0000-4000-8000-' || lpad(to_hex(:n::bigint), 12, '0'))::uuid and status = 'pending' returning updated_at ), queued as ( insert into "outbox" (id, aggregate_id, topic, message_key, payload, trace_context) select ('20000000-0000-4000-8000-' || lpad(to_hex(:n::bigint), 12, '0'))::uuid, ('00000000-0000-4000-8000-' || lpad(to_hex(:n::bigint), 12, '0'))::uuid, 'order-notifications', '00000000-0000-4000-8000-' || lpad(to_hex(:n::bigint), 12, '0'), '{"event_id":"20000000-0000-4000-8000-000000000000","type":"order.created","order_id":"00000000-0000-4000-8000-000000000000","user_id":"bench-1","product_id":"BENCH-P001","quantity":1,"total_cents":1999,"currency":"USD","occurred_at":"2026-01-01T00:00:00.000Z"}'::jsonb, '{"traceparent":"00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01"}'::jsonb from settled ) select updated_at from settled;
-- notification-service, notification.process: the dedupe claim, then sent
-- span: INSERT notifications
insert into "notifications" ("event_id", "order_id", "type", "channel", "status", "attempts", "last_error", "created_at", "sent_at") values ('20000000-0000-4000-8000-' || lpad(to_hex(:n::bigint), 12, '0'), '00000000-0000-4000-8000-' || lpad(to_hex(:n::bigint), 12, '0'), 'order.created', 'email', 'pending', default, default, default, default) on conflict ("event_id") do nothing returning "event_id", "order_id", "type", "channel", "status", "attempts", "last_error", "created_at", "sent_at";
-- span: UPDATE notifications
update "notifications" set "status" = 'sent', "attempts" = 1, "sent_at" = now() where "notifications"."event_id" = '20000000-0000-4000-8000-' || lpad(to_hex(:n::bigint), 12, '0') returning "sent_at";
