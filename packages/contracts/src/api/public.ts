// The public API: what the gateway accepts from clients and answers
// (README "API"; served as OpenAPI 3 at GET /api/openapi.json).
import { CloneType, Type, type Static } from '@sinclair/typebox';
import { ID_MAX_LENGTH, IdempotencyKey, MAX_QUANTITY, OrderId, PRODUCT_ID_PATTERN, ProductId, UserId } from '../ids.ts';
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

// The catalogue, a page at a time. Keyset pagination: a page is the
// products after the last one the client saw, ordered by product id, so a
// page never repeats or skips a product when others are added meanwhile
// (an offset would). The cursor names that last product, but clients treat
// it as opaque: base64url of the id, so its shape can change without
// breaking them.

/** Most products in one page of GET /api/products. */
export const MAX_PAGE_SIZE = 100;
export const DEFAULT_PAGE_SIZE = 20;

/** base64url of a product id (at most ID_MAX_LENGTH ASCII characters, so at most 86 characters). */
export const ProductCursor = Type.String({
  minLength: 1,
  maxLength: Math.ceil((ID_MAX_LENGTH * 4) / 3),
  pattern: '^[A-Za-z0-9_-]+$',
  description: 'Opaque: the `next_cursor` of the previous page, as it was given.',
});

export const ListProductsQuery = Type.Object(
  {
    // A query string is text, and the services never coerce types: the
    // pattern admits exactly the integers 1-100, without signs, leading
    // zeros or exponents.
    limit: Type.Optional(
      Type.String({
        pattern: '^(100|[1-9][0-9]?)$',
        description: `Products per page: an integer from 1 to ${MAX_PAGE_SIZE} (default ${DEFAULT_PAGE_SIZE}).`,
      }),
    ),
    cursor: Type.Optional(ProductCursor),
  },
  { additionalProperties: false },
);
export type ListProductsQuery = Static<typeof ListProductsQuery>;

export const ProductPage = Type.Object(
  {
    products: Type.Array(Type.Ref(Product.$id!), { description: 'Ordered by `product_id`.' }),
    next_cursor: Type.Union([ProductCursor, Type.Null()], { description: 'The `cursor` of the next page; null on the last page.' }),
  },
  { $id: 'ProductPage' },
);
export type ProductPage = { products: Product[]; next_cursor: string | null };

/** The page size a (validated) `limit` asks for. */
export function pageSize(limit: string | undefined): number {
  return limit === undefined ? DEFAULT_PAGE_SIZE : Number(limit);
}

/** The cursor that follows `productId` (base64url of the id). */
export function encodeProductCursor(productId: string): string {
  return Buffer.from(productId, 'utf8').toString('base64url');
}

/** The product id a cursor names, or undefined when it names none a client could have been given. */
export function decodeProductCursor(cursor: string): string | undefined {
  if (!new RegExp(ProductCursor.pattern!).test(cursor) || cursor.length > ProductCursor.maxLength!) return undefined;
  const id = Buffer.from(cursor, 'base64url').toString('utf8');
  // Round trip: rejects padding tricks and trailing bits that decode to the same id.
  if (encodeProductCursor(id) !== cursor) return undefined;
  if (id.length === 0 || id.length > ID_MAX_LENGTH || !new RegExp(PRODUCT_ID_PATTERN).test(id)) return undefined;
  return id;
}

// What each public route answers, by status, as Fastify response schemas
// (which @fastify/swagger turns into the OpenAPI responses). Bodies refer to
// the shared schemas by $id, so the document defines each once; the gateway
// registers PUBLIC_SCHEMAS with addSchema for the references to resolve.

/** The schemas the public responses refer to by $id. */
export const PUBLIC_SCHEMAS = [Order, Product, ProductPage, ErrorBody];

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

export const ListProductsResponses = {
  200: Type.Unsafe<ProductPage>(Type.Ref(ProductPage.$id!, { description: 'One page of the catalogue, ordered by product id.' })),
  400: errorResponse(400, { codes: ['invalid_request'], when: 'a `limit` outside 1-100 or not an integer, a malformed `cursor`, an unknown parameter' }),
  ...errorResponses(401, 417, 429, 431, 500, 502, 503, 504),
};

export const GetProductResponses = {
  200: ProductRef('The product: price in cents and stock.'),
  400: malformedId('product'),
  ...errorResponses(401, 404, 414, 417, 429, 431, 500, 502, 503, 504),
};
