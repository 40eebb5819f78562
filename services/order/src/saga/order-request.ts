// What a client asks for, and the fingerprint that tells a retry (same body)
// from a reused idempotency key (another body).
import { createHash } from 'node:crypto';
import type { PlaceOrderRequest } from '@shop/contracts';

export type OrderRequest = PlaceOrderRequest;

/** JSON with object keys sorted at every level: equal bodies give equal text whatever their key order. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

/** sha256 (hex) of the canonical body. */
export function requestHash(request: OrderRequest): string {
  return createHash('sha256').update(canonicalJson(request)).digest('hex');
}
