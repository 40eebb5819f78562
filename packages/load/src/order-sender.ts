// One load request: POST /api/orders on the gateway's public API, with the
// caller's API key and a fresh Idempotency-Key (every arrival is a new
// order), bounded by a deadline. Any HTTP answer is its status; no answer is
// why (timeout, aborted by the loop, network error). Never throws.
import { randomUUID } from 'node:crypto';
import type { CreateOrderRequest } from '@shop/contracts';
import type { Outcome, SendRequest } from './outcome.ts';

/** What `shopctl load` and the load generator order unless told otherwise: the seeded catalogue's PROD-123, one at a time. */
export const DEFAULT_ORDER = { productId: 'PROD-123', quantity: 1 } as const;

export interface OrderSenderOptions {
  gatewayUrl: string;
  /** Sent as a bearer token; never logged. */
  apiKey: string;
  order: CreateOrderRequest;
  /** Shows in the gateway's spans (user_agent.original): whose traffic it is. */
  userAgent: string;
  timeoutMs: number;
}

export function orderSender(options: OrderSenderOptions): SendRequest {
  const url = new URL('/api/orders', options.gatewayUrl);
  const body = JSON.stringify(options.order);
  const headers = { authorization: `Bearer ${options.apiKey}`, 'content-type': 'application/json', 'user-agent': options.userAgent };
  return async (signal): Promise<Outcome> => {
    const deadline = AbortSignal.timeout(options.timeoutMs);
    try {
      const response = await fetch(url, {
        method: 'POST',
        headers: { ...headers, 'idempotency-key': randomUUID() },
        body,
        signal: AbortSignal.any([signal, deadline]),
      });
      await response.arrayBuffer();
      return response.status;
    } catch {
      if (deadline.aborted) return 'timeout';
      if (signal.aborted) return 'aborted';
      return 'network-error';
    }
  };
}
