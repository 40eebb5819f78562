// POST /orders (the saga) and GET /orders/:id.
import { Type } from '@sinclair/typebox';
import { IdempotencyKey, notFound, type App } from '@shop/kit';
import type { Database } from '../db/client.ts';
import type { InventoryClient } from '../domain/inventory-client.ts';
import { orderView } from '../domain/order-outcome.ts';
import { findOrder } from '../domain/orders-repo.ts';
import type { PaymentClient } from '../domain/payment-client.ts';
import { placeOrder } from '../domain/place-order.ts';

export interface OrderRoutesDeps {
  db: Database;
  inventory: InventoryClient;
  payment: PaymentClient;
  chargeDeadlineMs?: number;
}

export const MAX_QUANTITY = 1000;

const CreateOrderBody = Type.Object(
  {
    user_id: Type.String({ minLength: 1, maxLength: 128, pattern: '\\S' }),
    // The same shape inventory accepts for product ids.
    product_id: Type.String({ minLength: 1, maxLength: 128, pattern: '^[A-Za-z0-9][A-Za-z0-9._:-]*$' }),
    quantity: Type.Integer({ minimum: 1, maximum: MAX_QUANTITY }),
    amount_cents: Type.Optional(Type.Integer({ minimum: 0, maximum: 2_147_483_647 })),
  },
  { additionalProperties: false },
);

const CreateOrderHeaders = Type.Object({
  'idempotency-key': Type.Optional(IdempotencyKey),
});

const OrderParams = Type.Object({ id: Type.String({ maxLength: 64 }) });

export function orderRoutes(deps: OrderRoutesDeps) {
  return async function plugin(app: App): Promise<void> {
    app.post('/orders', { schema: { body: CreateOrderBody, headers: CreateOrderHeaders } }, async (request, reply) => {
      const { order, replayed } = await placeOrder(
        { ...deps, log: request.log },
        request.body,
        request.headers['idempotency-key'],
      );
      if (replayed) void reply.header('idempotent-replayed', 'true');
      return reply.code(201).send(orderView(order));
    });

    app.get('/orders/:id', { schema: { params: OrderParams } }, async (request) => {
      // Not a uuid: no such order (findOrder never queries with it).
      const order = await findOrder(deps.db, request.params.id);
      if (!order) throw notFound(`order ${request.params.id} not found`);
      return orderView(order);
    });
  };
}
