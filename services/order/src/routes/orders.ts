// POST /orders (the saga) and GET /orders/:id.
import { CreateOrderHeaders, OrderParams, PlaceOrderRequest } from '@shop/contracts';
import { notFound, type App, type FaultFlags } from '@shop/kit';
import type { InventoryClient } from '../clients/inventory-client.ts';
import type { PaymentClient } from '../clients/payment-client.ts';
import type { Database } from '../db/client.ts';
import { findOrder } from '../persistence/orders-repo.ts';
import { orderView } from '../saga/order-outcome.ts';
import { placeOrder } from '../saga/place-order.ts';

export interface OrderRoutesOptions {
  db: Database;
  inventory: InventoryClient;
  payment: PaymentClient;
  chargeDeadlineMs?: number;
  flags?: FaultFlags;
}

export async function orderRoutes(app: App, options: OrderRoutesOptions): Promise<void> {
  const { db, inventory, payment, chargeDeadlineMs, flags } = options;
  app.post('/orders', { schema: { body: PlaceOrderRequest, headers: CreateOrderHeaders } }, async (request, reply) => {
    const { order, replayed } = await placeOrder(
      { db, inventory, payment, chargeDeadlineMs, flags, log: request.log },
      request.body,
      request.headers['idempotency-key'],
    );
    if (replayed) void reply.header('idempotent-replayed', 'true');
    return reply.code(201).send(orderView(order));
  });

  app.get('/orders/:id', { schema: { params: OrderParams } }, async (request) => {
    // Not a uuid: no such order (findOrder never queries with it).
    const order = await findOrder(db, request.params.id);
    if (!order) throw notFound(`order ${request.params.id} not found`);
    return orderView(order);
  });
}
