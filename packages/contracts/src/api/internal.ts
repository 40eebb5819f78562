// The internal API between the services (docs/internal-api.md): order's
// saga endpoint, inventory's reservations, payment's charges, notification's
// admin query. Ids are the public ones (ids.ts): what the gateway accepted
// is accepted here.
import { Type, type Static } from '@sinclair/typebox';
import { MAX_CENTS, MAX_INT32, MAX_QUANTITY, OrderId, ProductId, TransactionId, UserId } from '../ids.ts';
import { ListProductsQuery, Product, ProductCursor, type ProductPage } from './public.ts';

// order-service
export const PlaceOrderRequest = Type.Object(
  {
    user_id: UserId,
    product_id: ProductId,
    quantity: Type.Integer({ minimum: 1, maximum: MAX_QUANTITY }),
    /** The client's expected total in cents (the gateway's `amount` converted). */
    amount_cents: Type.Optional(Type.Integer({ minimum: 0, maximum: MAX_CENTS })),
  },
  { additionalProperties: false },
);
export type PlaceOrderRequest = Static<typeof PlaceOrderRequest>;

// inventory-service

/**
 * GET /products: one page of the catalogue. The query is the public one
 * (the gateway forwards `limit` and the opaque `cursor` as they came); the
 * answer is ProductPage with each product written out in place, since
 * inventory registers no shared schemas.
 */
export const InventoryProductsQuery = ListProductsQuery;
export const InventoryProductPage = Type.Object({
  products: Type.Array(Type.Object(Product.properties)),
  next_cursor: Type.Union([ProductCursor, Type.Null()]),
});
export type InventoryProductPage = ProductPage;

export const ReservationRequest = Type.Object(
  {
    order_id: OrderId,
    product_id: ProductId,
    quantity: Type.Integer({ minimum: 1, maximum: MAX_INT32 }),
    /** The unit price the order was priced with: reserved only while it is still the product's (409 price_changed). */
    unit_price_cents: Type.Optional(Type.Integer({ minimum: 1, maximum: MAX_INT32 })),
  },
  { additionalProperties: false },
);
export type ReservationRequest = Static<typeof ReservationRequest>;

export const Reservation = Type.Object({
  order_id: Type.String(),
  product_id: Type.String(),
  quantity: Type.Integer(),
  status: Type.Union([Type.Literal('reserved'), Type.Literal('released')]),
});
export type Reservation = Static<typeof Reservation>;

export const ReservationParams = Type.Object({ order_id: OrderId });

// payment-service
export const ChargeRequest = Type.Object(
  {
    order_id: OrderId,
    amount_cents: Type.Integer({ minimum: 1, maximum: MAX_CENTS }),
    // Money is integer cents in USD throughout the system.
    currency: Type.Literal('USD'),
  },
  { additionalProperties: false },
);
export type ChargeRequest = Static<typeof ChargeRequest>;

export const Payment = Type.Object({
  transaction_id: Type.String(),
  order_id: Type.String(),
  amount_cents: Type.Integer(),
  currency: Type.String(),
  status: Type.Union([Type.Literal('succeeded'), Type.Literal('declined')]),
  reason: Type.Optional(Type.String()),
});
export type Payment = Static<typeof Payment>;

export const PaymentParams = Type.Object({ transaction_id: TransactionId });
export const PaymentQuery = Type.Object({ order_id: OrderId }, { additionalProperties: false });

// notification-service (admin)
export const NotificationsQuery = Type.Object({ order_id: OrderId }, { additionalProperties: false });
