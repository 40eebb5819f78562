// The orders the bench places: through the gateway, like any client (its
// own Idempotency-Key, no traceparent, so the gateway's sampler decides), on
// one of the bench products chosen at random, by one of 64 users.
import postgres from 'postgres';
import { localServiceUrl } from '@shop/contracts';
import { CliError } from '@shop/cli/errors';
import { placeOrder, type Gateway } from '@shop/cli/gateway/orders-api';
import type { RequestOutcome } from './window-tally.ts';
import { BENCH_PRODUCTS, benchProductId } from './floor.ts';

export const BENCH_STOCK = 1_000_000_000;
export const BENCH_PRICE_CENTS = 1999;

export const benchGateway: Gateway = { url: process.env.SHOP_GATEWAY_URL ?? localServiceUrl('gateway'), apiKey: process.env.SHOP_API_KEY ?? 'local-dev-key' };

/** The bench products in the real inventory database, with stock for any run. */
export async function prepareBenchProducts(): Promise<void> {
  const db = postgres(`postgres://shop@${process.env.DATABASE_HOST ?? '127.0.0.1'}:${process.env.DATABASE_PORT ?? '5432'}/inventory`, {
    max: 1,
    onnotice: () => {},
  });
  try {
    for (let i = 1; i <= BENCH_PRODUCTS; i++) {
      await db`insert into products (id, name, price_cents, stock) values (${benchProductId(i)}, ${'Bench product'}, ${BENCH_PRICE_CENTS}, ${BENCH_STOCK})
               on conflict (id) do update set stock = ${BENCH_STOCK}`;
    }
  } finally {
    await db.end();
  }
}

/** One bench order; `traceparent` (make bench-tail) makes the caller decide its sampling. */
export async function sendBenchOrder(options: { traceparent?: string } = {}): Promise<RequestOutcome> {
  const productId = benchProductId(1 + Math.floor(Math.random() * BENCH_PRODUCTS));
  const userId = `bench-${1 + Math.floor(Math.random() * 64)}`;
  try {
    const answer = await placeOrder(benchGateway, { userId, productId, quantity: 1 }, { timeoutMs: 10_000, ...options });
    return { ok: answer.status === 201, status: String(answer.status) };
  } catch (err) {
    return { ok: false, status: err instanceof CliError && /did not answer/.test(err.message) ? 'timeout' : 'network-error' };
  }
}
