import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Type } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';
import { ChargeRequest, NotificationsQuery, PlaceOrderRequest, ReservationRequest } from './api/internal.ts';
import { CreateOrderRequest } from './api/public.ts';
import { ID_MAX_LENGTH, IdempotencyKey, OrderId, ProductId, UserId } from './ids.ts';
import { OrderCreatedEvent } from './order-event.ts';

test('an idempotency key is 1-128 printable ASCII characters, spaces only inside', () => {
  for (const key of ['a', '6f1c2c1e-3f0b-4c52-9a55-0d6c1a0b7e11', 'order 42 retry', '~!@#$%^&*()', 'k'.repeat(128), `a${' '.repeat(126)}b`]) {
    assert.ok(Value.Check(IdempotencyKey, key), JSON.stringify(key));
  }
  for (const key of ['', ' ', ' a', 'a ', 'k'.repeat(129), 'a\tb', 'a\u0001b', 'a\u007fb', 'café', 'a\nb']) {
    assert.ok(!Value.Check(IdempotencyKey, key), JSON.stringify(key));
  }
});

const ACCEPTED_AT_THE_EDGE = ['u', 'user-1', 'alice@example.com', 'tenant:42.bob_x', 'U'.repeat(ID_MAX_LENGTH)];
const PRODUCTS = ['P', 'PROD-123', 'BENCH-P001', 'a_b-c', `P${'1'.repeat(ID_MAX_LENGTH - 1)}`];
const ORDERS = ['6f1c2c1e-3f0b-4c52-9a55-0d6c1a0b7e11', 'o_1', 'O'.repeat(ID_MAX_LENGTH)];

test('an id the gateway accepts is accepted by every service it travels to, and by the order event', () => {
  const event = (user: string, product: string, order: string) => ({
    event_id: order,
    type: 'order.created',
    order_id: order,
    user_id: user,
    product_id: product,
    quantity: 1,
    total_cents: 1999,
    currency: 'USD',
    occurred_at: '2026-12-02T00:00:00.000Z',
  });
  for (const user of ACCEPTED_AT_THE_EDGE) {
    for (const product of PRODUCTS) {
      assert.ok(Value.Check(CreateOrderRequest, { user_id: user, product_id: product, quantity: 1 }), `${user} ${product} at the gateway`);
      assert.ok(Value.Check(PlaceOrderRequest, { user_id: user, product_id: product, quantity: 1 }), `${user} ${product} at order`);
      for (const order of ORDERS) {
        assert.ok(Value.Check(ReservationRequest, { order_id: order, product_id: product, quantity: 1 }), `${order} ${product} at inventory`);
        assert.ok(Value.Check(ChargeRequest, { order_id: order, amount_cents: 1, currency: 'USD' }), `${order} at payment`);
        assert.ok(Value.Check(NotificationsQuery, { order_id: order }), `${order} at notification`);
        assert.ok(Value.Check(OrderCreatedEvent, event(user, product, order)), `${user} ${product} ${order} in the event`);
      }
    }
  }
});

test('ids are refused alike everywhere: too long, empty, control characters, path tricks, unicode', () => {
  const bad = ['', 'x'.repeat(ID_MAX_LENGTH + 1), 'a b', 'a\nb', 'a\u0000b', '../etc', 'a/b', 'jürgen', 'a%2Fb'];
  for (const id of bad) {
    for (const schema of [UserId, ProductId, OrderId]) assert.ok(!Value.Check(schema, id), `${JSON.stringify(id)} refused by ${schema.pattern}`);
  }
  // A product id is one URL path segment and starts with a letter or digit.
  for (const id of ['-P', '_P', '.', '..', 'P.1', 'P:1']) assert.ok(!Value.Check(ProductId, id), id);
});

test('every id limit is the one ID_MAX_LENGTH', () => {
  const limits = new Set<number>();
  const visit = (schema: unknown): void => {
    if (schema === null || typeof schema !== 'object') return;
    const s = schema as Record<string, unknown>;
    if (s.type === 'string' && typeof s.pattern === 'string' && typeof s.maxLength === 'number' && s.pattern !== IdempotencyKey.pattern)
      limits.add(s.maxLength);
    for (const v of Object.values(s)) visit(v);
  };
  for (const schema of [
    CreateOrderRequest,
    PlaceOrderRequest,
    ReservationRequest,
    ChargeRequest,
    NotificationsQuery,
    OrderCreatedEvent,
    Type.Object({ id: OrderId }),
  ])
    visit(schema);
  assert.deepEqual([...limits], [ID_MAX_LENGTH]);
});
