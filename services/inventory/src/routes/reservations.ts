// POST /reservations, POST /reservations/:order_id/release, GET /reservations/:order_id
import { Type } from '@sinclair/typebox';
import { Reservation as ReservationReply, ReservationParams as OrderParams, ReservationRequest as ReservationBody } from '@shop/contracts';
import { conflict, notFound, type App, type FaultFlags } from '@shop/kit';
import type { Database } from '../db/client.ts';
import { findReservation, release, reserve, type ReservationView } from '../domain/reservations.ts';

export async function reservationRoutes(app: App, { db, flags }: { db: Database; flags?: FaultFlags }): Promise<void> {
  app.post('/reservations', { schema: { body: ReservationBody, response: { 200: ReservationReply, 201: ReservationReply } } }, async (request, reply) => {
    const { order_id: orderId, product_id: productId, quantity, unit_price_cents: unitPriceCents } = request.body;
    const result = await reserve(db, { orderId, productId, quantity, ...(unitPriceCents === undefined ? {} : { unitPriceCents }) }, flags);
    switch (result.kind) {
      case 'reserved':
        return reply.code(201).send(toReply(result.reservation));
      case 'replayed':
        return reply.code(200).send(toReply(result.reservation));
      case 'conflict':
        throw conflict('reservation_conflict', `order ${orderId} already holds a reservation for a different product or quantity`, {
          reservation: toReply(result.reservation),
        });
      case 'insufficient_stock':
        throw conflict('insufficient_stock', `only ${result.available} of ${productId} available, ${quantity} requested`, {
          available: result.available,
        });
      case 'price_changed':
        throw conflict('price_changed', `the price of ${productId} is ${result.priceCents}, not ${unitPriceCents}`, {
          price_cents: result.priceCents,
        });
      case 'unknown_product':
        throw notFound(`product ${productId} not found`);
    }
  });

  app.post(
    '/reservations/:order_id/release',
    {
      schema: {
        params: OrderParams,
        response: { 200: Type.Object({ order_id: Type.String(), status: Type.Literal('released') }) },
      },
    },
    async (request) => {
      const result = await release(db, request.params.order_id);
      if (result.kind === 'not_found') throw notFound(`no reservation for order ${request.params.order_id}`);
      return { order_id: result.reservation.orderId, status: 'released' as const };
    },
  );

  app.get(
    '/reservations/:order_id',
    {
      schema: {
        params: OrderParams,
        response: {
          200: Type.Composite([ReservationReply, Type.Object({ created_at: Type.String(), updated_at: Type.String() })]),
        },
      },
    },
    async (request) => {
      const reservation = await findReservation(db, request.params.order_id);
      if (!reservation) throw notFound(`no reservation for order ${request.params.order_id}`);
      return {
        ...toReply(reservation),
        created_at: reservation.createdAt.toISOString(),
        updated_at: reservation.updatedAt.toISOString(),
      };
    },
  );
}

function toReply(reservation: ReservationView) {
  return {
    order_id: reservation.orderId,
    product_id: reservation.productId,
    quantity: reservation.quantity,
    status: reservation.status,
  };
}
