// The onRequest hook that enforces the per-key rate limit.
//
// When Redis cannot answer (down, or slower than the timeout) the request is
// let through: failing open keeps ordering available through a Redis outage,
// at the price of no limiting while it lasts. Each such pass is counted
// (gateway.ratelimit.errors) and logged as a warning, at most once per
// `warnEveryMs`, so an outage does not flood the logs.
import { tooManyRequests } from '@shop/kit';
import type { FastifyBaseLogger, onRequestAsyncHookHandler } from 'fastify';
import { callerKeyId } from '../auth/authenticate.ts';
import { countRateLimitError } from '../metrics.ts';
import type { RateDecision, SlidingWindowLimiter } from './sliding-window.ts';

export interface RateLimitHookOptions {
  timeoutMs: number;
  warnEveryMs?: number;
}

export function rateLimit(limiter: SlidingWindowLimiter, options: RateLimitHookOptions): onRequestAsyncHookHandler {
  const warnEveryMs = options.warnEveryMs ?? 10_000;
  let lastWarning = -Infinity;
  const warn = (log: FastifyBaseLogger, err: unknown) => {
    if (performance.now() - lastWarning < warnEveryMs) return;
    lastWarning = performance.now();
    const e = err as { message?: string; code?: string };
    log.warn({ err: { message: e?.message, code: e?.code } }, 'rate limit check failed, request let through (fail-open)');
  };

  return async (request, reply) => {
    let decision: RateDecision;
    try {
      decision = await withTimeout(limiter.take(callerKeyId(request)), options.timeoutMs);
    } catch (err) {
      countRateLimitError((err as { code?: string }).code ?? (err as Error).name ?? 'Error');
      warn(request.log, err);
      return;
    }
    void reply.header('x-ratelimit-limit', String(decision.limit)).header('x-ratelimit-remaining', String(decision.remaining));
    if (!decision.allowed) throw tooManyRequests(decision.retryAfterSeconds);
  };
}

class RateLimitTimeout extends Error {
  readonly code = 'RATE_LIMIT_TIMEOUT';
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new RateLimitTimeout(`rate limit check took longer than ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
