// Per-key rate limiting shared by every gateway replica through Redis.
//
// Algorithm: a sliding-window counter. Time is cut into fixed windows of
// `windowMs`; a request is allowed while
//     previous_window_count * (share of the previous window still inside the
//     sliding window) + current_window_count + 1  <=  limit
// and only allowed requests are counted. With limit = RATE_LIMIT_BURST and
// windowMs = 1000 * burst / RATE_LIMIT_PER_SECOND, a key may send `burst`
// requests at once but averages at most `rate` per second over time, which
// is the behaviour a token bucket of that size and refill rate would give.
//
// The whole decision (read both windows, INCR, PEXPIRE) is one Lua script, so
// replicas racing on the same key cannot both take the last slot. Time comes
// from Redis (TIME), not from each replica's clock.
import type { Redis } from 'ioredis';

/** KEYS[1]: the caller's key prefix. ARGV: limit, window (ms). Returns {allowed, remaining, retry_after_ms}. */
const SLIDING_WINDOW_LUA = `
local limit = tonumber(ARGV[1])
local window = tonumber(ARGV[2])
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local index = math.floor(now / window)
local elapsed = now - index * window
-- Derived keys share KEYS[1]'s hash tag, so they live in the same cluster slot.
local current_key = KEYS[1] .. ':' .. string.format('%d', index)
local previous_key = KEYS[1] .. ':' .. string.format('%d', index - 1)
local previous = tonumber(redis.call('GET', previous_key) or '0')
local current = tonumber(redis.call('GET', current_key) or '0')
local weighted = previous * (window - elapsed) / window + current
if weighted + 1 <= limit then
  redis.call('INCR', current_key)
  -- Kept for two windows: it is the "previous" window of the next one.
  redis.call('PEXPIRE', current_key, window * 2)
  return {1, math.floor(limit - weighted - 1), 0}
end
local wait
if current + 1 <= limit then
  -- Fits later in this window, once enough of the previous one slid out.
  wait = (window - elapsed) - (limit - 1 - current) * window / previous
else
  -- This window is full: fits in the next one, once enough of this one slid out.
  wait = (window - elapsed) + window - (limit - 1) * window / current
end
return {0, 0, math.ceil(wait)}
`;

export interface RateDecision {
  allowed: boolean;
  limit: number;
  remaining: number;
  /** Whole seconds until a request would be allowed (>= 1 when denied, 0 when allowed). */
  retryAfterSeconds: number;
}

export interface SlidingWindowOptions {
  /** Requests per second on average. */
  perSecond: number;
  /** Requests allowed at once; also the most within one window. */
  burst: number;
  /** Redis key prefix; tests use their own. */
  prefix?: string;
}

type ScriptResult = [number, number, number];
type WithCommand = Redis & { shopSlidingWindow(key: string, limit: number, windowMs: number): Promise<ScriptResult> };

export class SlidingWindowLimiter {
  readonly limit: number;
  readonly windowMs: number;
  private readonly redis: WithCommand;
  private readonly prefix: string;

  constructor(redis: Redis, options: SlidingWindowOptions) {
    this.limit = options.burst;
    this.windowMs = Math.max(1, Math.round((1000 * options.burst) / options.perSecond));
    this.prefix = options.prefix ?? 'gateway:ratelimit';
    // EVALSHA with a fallback to EVAL when Redis does not know the script yet.
    redis.defineCommand('shopSlidingWindow', { numberOfKeys: 1, lua: SLIDING_WINDOW_LUA });
    this.redis = redis as WithCommand;
  }

  /** Counts one request of `id` if it fits; rejects if Redis fails. */
  async take(id: string): Promise<RateDecision> {
    const [allowed, remaining, retryAfterMs] = await this.redis.shopSlidingWindow(`${this.prefix}:{${id}}`, this.limit, this.windowMs);
    return {
      allowed: allowed === 1,
      limit: this.limit,
      remaining: Math.max(0, remaining),
      retryAfterSeconds: allowed === 1 ? 0 : Math.max(1, Math.ceil(retryAfterMs / 1000)),
    };
  }
}
