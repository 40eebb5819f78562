// The one shape of an Idempotency-Key, shared by the gateway that takes it
// from clients and the order service that stores it: a key the edge accepts
// must never be refused one hop later.
import { Type } from '@sinclair/typebox';

/**
 * Printable ASCII (spaces inside allowed, as in "order 42 retry"), 1-128
 * characters. No leading or trailing space: HTTP strips those from header
 * values, so a key sent with them could never be matched as sent.
 */
export const IDEMPOTENCY_KEY_PATTERN = '^[\\x21-\\x7E]([\\x20-\\x7E]{0,126}[\\x21-\\x7E])?$';
export const IDEMPOTENCY_KEY_MAX_LENGTH = 128;

export const IdempotencyKey = Type.String({ minLength: 1, maxLength: IDEMPOTENCY_KEY_MAX_LENGTH, pattern: IDEMPOTENCY_KEY_PATTERN });
