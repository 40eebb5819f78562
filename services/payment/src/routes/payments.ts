// POST /payments, GET /payments/:transaction_id, GET /payments?order_id=...
import { ChargeRequest as ChargeBody, Payment as PaymentReply, PaymentParams, PaymentQuery } from '@shop/contracts';
import { conflict, notFound, paymentRequired, type App } from '@shop/kit';
import { charge, type ChargeDeps } from '../domain/payments.ts';
import type { Payment } from '../domain/store.ts';

export async function paymentRoutes(app: App, deps: ChargeDeps): Promise<void> {
  app.post('/payments', { schema: { body: ChargeBody, response: { 201: PaymentReply } } }, async (request, reply) => {
    const { order_id: orderId, amount_cents: amountCents, currency } = request.body;
    const result = await charge(deps, { orderId, amountCents, currency });
    switch (result.kind) {
      case 'conflict':
        throw conflict('idempotency_conflict', `order ${orderId} was already charged for a different amount`, {
          order_id: orderId,
        });
      case 'in_progress':
        throw paymentInProgress(orderId);
      case 'charged':
      case 'replayed': {
        if (result.kind === 'replayed') void reply.header('idempotent-replayed', 'true');
        const { payment } = result;
        if (payment.status === 'declined') {
          throw paymentRequired(`payment declined: ${payment.reason}`, {
            transaction_id: payment.transactionId,
            order_id: payment.orderId,
            status: 'declined',
            reason: payment.reason,
          });
        }
        return reply.code(201).send(toReply(payment));
      }
    }
  });

  app.get('/payments/:transaction_id', { schema: { params: PaymentParams, response: { 200: PaymentReply } } }, async (request) => {
    const payment = await deps.store.byTransaction(request.params.transaction_id);
    if (!payment) throw notFound(`no payment ${request.params.transaction_id}`);
    return toReply(payment);
  });

  app.get(
    '/payments',
    {
      schema: {
        querystring: PaymentQuery,
        response: { 200: PaymentReply },
      },
    },
    async (request) => {
      const stored = await deps.store.byOrder(request.query.order_id);
      if (!stored) throw notFound(`no payment for order ${request.query.order_id}`);
      // Not an outcome yet: saying 404 would invite the caller to compensate
      // while the charge may still succeed.
      if (stored.state === 'processing') throw paymentInProgress(request.query.order_id);
      return toReply(stored.payment);
    },
  );
}

function paymentInProgress(orderId: string) {
  return conflict('payment_in_progress', `a payment for order ${orderId} is being processed; retry shortly`, {
    order_id: orderId,
  });
}

function toReply(payment: Payment) {
  return {
    transaction_id: payment.transactionId,
    order_id: payment.orderId,
    amount_cents: payment.amountCents,
    currency: payment.currency,
    status: payment.status,
    ...(payment.reason ? { reason: payment.reason } : {}),
  };
}
