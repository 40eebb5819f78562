// Who a sampled trace is charged to at the gateway's door: the caller's API
// key when it presents a valid one (the storefront and every API client
// hold their own), else its address. The door runs before Fastify, so the
// key is identified here once more (one sha256); an invalid key is charged
// to the address, so inventing keys buys no fresh budgets.
import type { IncomingMessage } from 'node:http';
import { clientAddress, sampledTraceBudget, type SampledParentBudget } from '@shop/kit';
import { bearerToken, type ApiKeyring } from './api-keys.ts';

export interface GatewayTraceBudget {
  perSecond: number;
  burst: number;
}

/**
 * TRACE_BUDGET_PER_SECOND and TRACE_BUDGET_BURST's defaults: well above what
 * a client that samples honestly sends (the storefront's shoppers at the
 * production ratio of 0.1), far below what forcing every request would.
 */
export const DEFAULT_TRACE_BUDGET: GatewayTraceBudget = { perSecond: 10, burst: 100 };

export function gatewayTraceBudget(keyring: ApiKeyring, budget: GatewayTraceBudget): SampledParentBudget {
  return sampledTraceBudget({ perSecond: budget.perSecond, burst: budget.burst, client: (req) => traceClient(keyring, req) });
}

function traceClient(keyring: ApiKeyring, req: IncomingMessage): string {
  const token = bearerToken(req.headers.authorization);
  const id = token === undefined ? undefined : keyring.identify(token);
  return id === undefined ? `address:${clientAddress(req)}` : `key:${id}`;
}
