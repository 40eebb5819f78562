// Redis through ioredis, shared by the services that own a Redis: a client
// that fails fast while Redis is away (callers answer 503 or fail open
// instead of hanging), one log line per outage, and the mapping of its
// failures to the error model.
import { Redis } from 'ioredis';
import { serviceUnavailable } from './errors.ts';

export interface RedisOptions {
  /** Connect on first use rather than at construction (start while Redis is down). */
  lazyConnect?: boolean;
  /** Queue commands while disconnected? Off: a command fails at once instead. */
  offlineQueue?: boolean;
}

export function createRedis(url: string, options: RedisOptions = {}): Redis {
  return new Redis(url, {
    connectTimeout: 2_000,
    // A command waits through at most one reconnect attempt, then fails.
    maxRetriesPerRequest: 1,
    enableOfflineQueue: options.offlineQueue ?? true,
    lazyConnect: options.lazyConnect ?? false,
    retryStrategy: (attempt) => Math.min(attempt * 100, 2_000),
  });
}

interface ConnectionLog {
  warn(obj: object, msg: string): void;
  info(msg: string): void;
}

/** Logs a lost connection once and its return once (ioredis reports every retry). */
export function logRedisConnection(redis: Redis, log: ConnectionLog): void {
  let down = false;
  redis.on('error', (err: Error & { code?: string }) => {
    if (down) return;
    down = true;
    log.warn({ error: { message: err.message, code: err.code } }, 'redis connection lost; retrying');
  });
  redis.on('ready', () => {
    if (!down) return;
    down = false;
    log.info('redis connection restored');
  });
}

export async function pingRedis(redis: Redis): Promise<void> {
  await redis.ping();
}

// Redis answering with an error about itself (not about our command).
const UNAVAILABLE_REPLY = /^(OOM|LOADING|READONLY|MASTERDOWN|BUSY|TRYAGAIN|CLUSTERDOWN)\b/;

/**
 * Turns a failed Redis call into 503 when Redis could not serve it (down,
 * unreachable, loading, out of memory); a rejected command stays a bug (500).
 */
export function redisFailure(err: unknown): unknown {
  const { name, message } = err as { name?: string; message?: string };
  const rejected = name === 'ReplyError' && !UNAVAILABLE_REPLY.test(message ?? '');
  return rejected ? err : serviceUnavailable('redis is unavailable', err);
}
