// Steady load for the fault suite: logical orders arrive on a fixed schedule
// (open loop, like shopctl load: a failing system still gets the load it
// would really get), each with its own Idempotency-Key, and a client that
// retries as a careful client would: the same key, after the server's
// Retry-After, only while the outcome is unknown (no answer, 502/503/504 on
// a pending order, 409 request_in_progress). Every attempt is recorded.
// Bounded: arrivals stop at a hard cap, no retry starts after a grace period,
// and every attempt has the client timeout.
import { randomUUID } from 'node:crypto';
import type { AttemptAnswer, OrderInput } from './order-attempt.ts';

export interface AttemptRecord extends AttemptAnswer {
  key: string;
  userId: string;
  attempt: number;
  /** When the attempt started, ms since the load started. */
  startedMs: number;
}

export interface ChaosLoadOptions {
  ratePerSecond: number;
  productId: string;
  userPrefix: string;
  /** Asked before each arrival with the elapsed ms; true ends the arrivals. */
  stopArrivals: (elapsedMs: number) => boolean;
  /** Arrivals end here whatever stopArrivals says. */
  maxArrivalsMs: number;
  clientTimeoutMs: number;
  maxAttempts: number;
  /** No retry starts later than this after the arrivals ended. */
  retryGraceMs: number;
  /** Logical orders in progress at once; an arrival beyond it is counted, not sent. */
  maxInFlight: number;
}

export interface ChaosLoadResult {
  attempts: AttemptRecord[];
  logicalOrders: number;
  notSent: number;
  arrivalsEndedMs: number;
  endedMs: number;
}

export type SendAttempt = (order: OrderInput) => Promise<AttemptAnswer>;

const RETRYABLE_STATUS = new Set([502, 503, 504]);

/** Whether a careful client would try again with the same key. */
export function shouldRetry(answer: AttemptAnswer): boolean {
  if (answer.outcome === 'timeout' || answer.outcome === 'network-error') return true;
  if (answer.outcome === 409) return answer.error === 'request_in_progress';
  if (answer.outcome === 429) return true;
  // A 503 for an order that is `failed` is final (retry needs a new key).
  return RETRYABLE_STATUS.has(answer.outcome) && answer.orderStatus !== 'failed';
}

/** The pause before retry n (1-based): the server's Retry-After or exponential, at least 500 ms, at most 4 s. */
export function retryDelayMs(answer: AttemptAnswer, retry: number): number {
  const exponential = 500 * 2 ** (retry - 1);
  return Math.min(4000, Math.max(answer.retryAfterMs ?? 0, exponential));
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export async function runChaosLoad(options: ChaosLoadOptions, send: SendAttempt): Promise<ChaosLoadResult> {
  const t0 = performance.now();
  const elapsed = () => performance.now() - t0;
  const attempts: AttemptRecord[] = [];
  const running = new Set<Promise<void>>();
  let arrivalsEndedMs = Number.POSITIVE_INFINITY;
  let notSent = 0;
  let logicalOrders = 0;

  async function orderLifecycle(index: number): Promise<void> {
    const order: OrderInput = {
      userId: `${options.userPrefix}-${index % 16}`,
      productId: options.productId,
      quantity: 1 + (index % 3),
      idempotencyKey: randomUUID(),
    };
    for (let attempt = 1; attempt <= options.maxAttempts; attempt++) {
      const startedMs = elapsed();
      const answer = await send(order).catch(
        (): AttemptAnswer => ({
          outcome: 'network-error',
          latencyMs: elapsed() - startedMs,
          json: false,
          error: undefined,
          orderId: undefined,
          orderStatus: undefined,
          retryAfterMs: undefined,
        }),
      );
      attempts.push({ ...answer, key: order.idempotencyKey, userId: order.userId, attempt, startedMs });
      if (!shouldRetry(answer) || attempt === options.maxAttempts) return;
      const delay = retryDelayMs(answer, attempt);
      if (elapsed() + delay > arrivalsEndedMs + options.retryGraceMs || elapsed() + delay > options.maxArrivalsMs + options.retryGraceMs) return;
      await sleep(delay);
    }
  }

  const intervalMs = 1000 / options.ratePerSecond;
  for (let next = 0; ; next++) {
    const due = next * intervalMs;
    if (due >= options.maxArrivalsMs || options.stopArrivals(elapsed())) break;
    if (due > elapsed()) await sleep(due - elapsed());
    if (running.size >= options.maxInFlight) {
      notSent++;
      continue;
    }
    logicalOrders++;
    const life = orderLifecycle(next).finally(() => running.delete(life));
    running.add(life);
  }
  arrivalsEndedMs = elapsed();
  await Promise.all(running);
  return { attempts, logicalOrders, notSent, arrivalsEndedMs, endedMs: elapsed() };
}
