// The public API: what the gateway accepts from clients and answers
// (README "API"; served as OpenAPI 3 at GET /api/openapi.json).
import { CloneType, Type, type Static } from '@sinclair/typebox';
import { IdempotencyKey, MAX_QUANTITY, OrderId, ProductId, UserId } from '../ids.ts';
import { ErrorBody, errorResponse, errorResponses } from './errors.ts';

/** Largest `amount` in major units: keeps amount * 100 exact enough to check for a third decimal. */
export const MAX_AMOUNT = 10_000_000;

export const CreateOrderRequest = Type.Object(
  {
    user_id: CloneType(UserId, { description: 'Who orders; an Idempotency-Key is scoped to it.' }),
    product_id: CloneType(ProductId, { description: 'What is ordered (e.g. PROD-123).' }),
    quantity: Type.Integer({ minimum: 1, maximum: MAX_QUANTITY }),
    amount: Type.Optional(
      Type.Number({
        exclusiveMinimum: 0,
        maximum: MAX_AMOUNT,
        description:
          'What the client expects to pay, in major units (59.98), at most two decimals; refused with 400 amount_mismatch when it differs from price x quantity.',
      }),
    ),
  },
  { additionalProperties: false },
);
export type CreateOrderRequest = Static<typeof CreateOrderRequest>;

export const CreateOrderHeaders = Type.Object({
  'idempotency-key': Type.Optional(
    CloneType(IdempotencyKey, {
      description:
        'Makes retries safe: a replay with the same key and body answers the first answer again; the same key with another body is 409 idempotency_conflict. 1-128 printable ASCII characters, spaces only inside.',
    }),
  ),
});

export const ORDER_STATUSES = ['pending', 'created', 'rejected', 'payment_failed', 'failed'] as const;
export type OrderStatus = (typeof ORDER_STATUSES)[number];

export const Order = Type.Object(
  {
    order_id: Type.String(),
    status: Type.Union(
      ORDER_STATUSES.map((s) => Type.Literal(s)),
      {
        description:
          '`pending` while the saga runs; `created` when stock is reserved and the charge succeeded; `rejected` (no stock, unknown product); `payment_failed` (declined, stock released); `failed` (a service was down; nothing charged).',
      },
    ),
    user_id: Type.String(),
    product_id: Type.String(),
    quantity: Type.Integer(),
    unit_price_cents: Type.Integer({ description: 'Price of one unit when ordered, in cents.' }),
    total_cents: Type.Integer({ description: 'unit_price_cents x quantity.' }),
    currency: Type.String({ description: 'Always `USD`.' }),
    transaction_id: Type.Union([Type.String(), Type.Null()], { description: "The payment's id, null until a charge was attempted." }),
    failure_reason: Type.Union([Type.String(), Type.Null()], { description: 'Why the order was not created, null otherwise.' }),
    created_at: Type.String({ format: 'date-time' }),
    updated_at: Type.String({ format: 'date-time' }),
  },
  { $id: 'Order' },
);
export type Order = Static<typeof Order>;

export const OrderParams = Type.Object({ id: CloneType(OrderId, { description: 'The `order_id` of POST /api/orders.' }) });

export const Product = Type.Object(
  {
    product_id: Type.String(),
    name: Type.String(),
    price_cents: Type.Integer({ description: 'Price of one unit, in cents.' }),
    currency: Type.String({ description: 'Always `USD`.' }),
    stock: Type.Integer({ description: 'Units available to order now.' }),
  },
  { $id: 'Product' },
);
export type Product = Static<typeof Product>;

export const ProductParams = Type.Object({ id: CloneType(ProductId, { description: 'The product id (e.g. PROD-123).' }) });

// What each public route answers, by status, as Fastify response schemas
// (which @fastify/swagger turns into the OpenAPI responses). Bodies refer to
// the shared schemas by $id, so the document defines each once; the gateway
// registers PUBLIC_SCHEMAS with addSchema for the references to resolve.

/** The schemas the public responses refer to by $id. */
export const PUBLIC_SCHEMAS = [Order, Product, ErrorBody];

const OrderRef = (description: string, headers?: Record<string, unknown>) =>
  Type.Unsafe<Order>(Type.Ref(Order.$id!, { description, ...(headers ? { headers } : {}) }));
const ProductRef = (description: string) => Type.Unsafe<Product>(Type.Ref(Product.$id!, { description }));

// 417 and 431 are answered before routing, so any route can get them; 414
// only where a path parameter can be too long; 413 and 415 only with a body.
export const CreateOrderResponses = {
  201: OrderRef('The order, created (status `created`). A replay of an Idempotency-Key answers the first answer again, with `Idempotent-Replayed: true`.', {
    'Idempotent-Replayed': { type: 'string', description: '`true` when this is the stored answer to an earlier request with the same Idempotency-Key.' },
  }),
  ...errorResponses(400, 401, 402, 404, 409, 413, 415, 417, 429, 431, 500, 502, 503, 504),
};

// A GET has no body: its 400 is a malformed id.
const malformedId = (what: string) =>
  errorResponse(400, { codes: ['invalid_request'], when: `a malformed ${what} id (see the parameter's pattern), refused before any service is asked` });

export const GetOrderResponses = {
  200: OrderRef('The order, in any state.'),
  400: malformedId('order'),
  ...errorResponses(401, 404, 414, 417, 429, 431, 500, 502, 503, 504),
};

export const GetProductResponses = {
  200: ProductRef('The product: price in cents and stock.'),
  400: malformedId('product'),
  ...errorResponses(401, 404, 414, 417, 429, 431, 500, 502, 503, 504),
};
