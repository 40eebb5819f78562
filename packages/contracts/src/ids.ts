// The identifiers that travel between services, each with one shape and one
// limit. The gateway refuses what does not fit before anything reaches a
// peer, and every peer (and the Kafka consumer) accepts exactly what the
// gateway let through: an id accepted at the edge is never refused one hop
// later (no unicode look-alikes, control characters or path tricks travel).
import { Type } from '@sinclair/typebox';

/** Longest id anywhere in the system (user, product, order, event, transaction). */
export const ID_MAX_LENGTH = 64;

export const USER_ID_PATTERN = '^[A-Za-z0-9_.:@-]+$';
/** Starts with a letter or digit; safe as one URL path segment. */
export const PRODUCT_ID_PATTERN = '^[A-Za-z0-9][A-Za-z0-9_-]*$';
/** Order ids are UUIDs (the order service makes them); the pattern only fences what may be sent on. */
export const ORDER_ID_PATTERN = '^[A-Za-z0-9_-]+$';

export const UserId = Type.String({ minLength: 1, maxLength: ID_MAX_LENGTH, pattern: USER_ID_PATTERN });
export const ProductId = Type.String({ minLength: 1, maxLength: ID_MAX_LENGTH, pattern: PRODUCT_ID_PATTERN });
export const OrderId = Type.String({ minLength: 1, maxLength: ID_MAX_LENGTH, pattern: ORDER_ID_PATTERN });
/** The order.created event's id (a UUID, as the outbox row's). */
export const EventId = Type.String({ minLength: 1, maxLength: ID_MAX_LENGTH, pattern: ORDER_ID_PATTERN });
/** A payment's id (`txn_<hex>`). */
export const TransactionId = Type.String({ minLength: 1, maxLength: ID_MAX_LENGTH, pattern: ORDER_ID_PATTERN });

/** Most units of one product in one order. */
export const MAX_QUANTITY = 1000;
/** The database's integer columns (stock, quantities, cents) are 32-bit. */
export const MAX_INT32 = 2_147_483_647;
/** Money is integer cents. */
export const MAX_CENTS = MAX_INT32;

/**
 * The Idempotency-Key header, taken by the gateway from clients and stored
 * by the order service: printable ASCII (spaces inside allowed, as in
 * "order 42 retry"), 1-128 characters. No leading or trailing space: HTTP
 * strips those from header values, so a key sent with them could never be
 * matched as sent.
 */
export const IDEMPOTENCY_KEY_PATTERN = '^[\\x21-\\x7E]([\\x20-\\x7E]{0,126}[\\x21-\\x7E])?$';
export const IDEMPOTENCY_KEY_MAX_LENGTH = 128;
export const IdempotencyKey = Type.String({ minLength: 1, maxLength: IDEMPOTENCY_KEY_MAX_LENGTH, pattern: IDEMPOTENCY_KEY_PATTERN });
