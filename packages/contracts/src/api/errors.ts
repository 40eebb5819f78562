// The error body every service answers with: `{ error, message, trace_id }`
// plus fields that say more (the order id of a conflict, the stock
// available). Statuses and codes: the README's error table.
import { Type, type Static, type TUnsafe } from '@sinclair/typebox';

export const ErrorBody = Type.Object(
  {
    error: Type.String({ description: 'Machine-readable code, stable across releases (e.g. insufficient_stock).' }),
    message: Type.String({ description: 'For people; may change.' }),
    trace_id: Type.Union([Type.String({ pattern: '^[0-9a-f]{32}$' }), Type.Null()], { description: 'The trace of this request, to look up in Jaeger.' }),
  },
  { additionalProperties: true, $id: 'ErrorBody' },
);
export type ErrorBody = Static<typeof ErrorBody>;

/**
 * The error statuses of the public API and what each means: the README's
 * error table as data, so the OpenAPI document (GET /api/openapi.json) says
 * the same. The gateway's openapi test holds the two together.
 */
export const PUBLIC_ERRORS = {
  400: {
    codes: ['invalid_request', 'invalid_json', 'amount_mismatch'],
    when: 'schema violation (missing field, wrong type, quantity <= 0, unknown field), malformed JSON, `amount` not equal to price x quantity (with `expected_cents`); also what the HTTP parser refuses (`trace_id` is null, the connection is closed)',
  },
  401: { codes: ['unauthorized'], when: 'missing or wrong API key' },
  402: {
    codes: ['payment_declined'],
    when: 'the charge was declined; the reserved stock was released (with `order_id`, `status`, `transaction_id`, `reason`)',
  },
  404: { codes: ['not_found'], when: 'unknown product, order or route' },
  409: {
    codes: ['insufficient_stock', 'idempotency_conflict', 'request_in_progress'],
    when: 'not enough stock (with `available`, `order_id`, `status`); an Idempotency-Key reused with another body; the first request with that key still running',
  },
  413: { codes: ['payload_too_large'], when: 'body over 16 KiB' },
  414: { codes: ['invalid_request'], when: 'a path parameter over 200 characters' },
  415: { codes: ['unsupported_media_type'], when: 'the body is not JSON' },
  417: { codes: ['invalid_request'], when: 'an `Expect` header other than `100-continue`' },
  429: { codes: ['rate_limited'], when: "over the key's rate limit" },
  431: { codes: ['invalid_request'], when: 'request line and headers over 16 KiB' },
  500: { codes: ['internal_error'], when: 'an unexpected failure: logged in full under the `trace_id`, the body says no more' },
  502: { codes: ['bad_gateway'], when: 'a service sent an answer that is not JSON' },
  503: { codes: ['service_unavailable'], when: 'a service or its store is down' },
  504: { codes: ['upstream_timeout'], when: 'a service did not answer in time' },
} as const satisfies Record<number, { codes: readonly string[]; when: string }>;
export type PublicErrorStatus = keyof typeof PUBLIC_ERRORS;

/** Response headers that carry meaning to a client, by error status. */
const ERROR_HEADERS: Partial<Record<PublicErrorStatus, Record<string, { type: 'string'; description: string }>>> = {
  401: { 'WWW-Authenticate': { type: 'string', description: '`Bearer`' } },
  409: { 'Retry-After': { type: 'string', description: 'With `request_in_progress`: seconds to wait before retrying.' } },
  429: { 'Retry-After': { type: 'string', description: 'Seconds until the key may send again.' } },
  503: { 'Retry-After': { type: 'string', description: 'Seconds to wait before retrying.' } },
};

/**
 * The Fastify response schema of one error status: it refers to the one
 * ErrorBody (registered with `addSchema`, so the document defines it once)
 * and says which codes it carries and when; a route may say it more
 * precisely. The reference keeps ErrorBody's `additionalProperties: true`, so
 * serialization keeps details such as `available` or `order_id`.
 */
export function errorResponse(status: PublicErrorStatus, precisely: { codes?: readonly string[]; when?: string } = {}): TUnsafe<ErrorBody> {
  const codes = precisely.codes ?? PUBLIC_ERRORS[status].codes;
  const when = precisely.when ?? PUBLIC_ERRORS[status].when;
  const headers = ERROR_HEADERS[status];
  return Type.Unsafe<ErrorBody>(
    Type.Ref(ErrorBody.$id!, { description: `${codes.map((c) => `\`${c}\``).join(', ')}: ${when}`, ...(headers ? { headers } : {}) }),
  );
}

/** The response schemas of the given error statuses, as PUBLIC_ERRORS describes them. */
export function errorResponses<S extends PublicErrorStatus>(...statuses: S[]): Record<S, TUnsafe<ErrorBody>> {
  return Object.fromEntries(statuses.map((status) => [status, errorResponse(status)])) as Record<S, TUnsafe<ErrorBody>>;
}
