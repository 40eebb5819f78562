// Token buckets by key, in this process: what a service uses to hold one
// client (an address, an API key) to a rate without a shared store, where
// a per-replica limit is enough (the storefront's per-client limits, the
// budget of sampled traces a service honours). Memory is bounded: past
// `maxKeys` the least recently seen key is forgotten, which can only give
// that client a fresh, full bucket (never a wrong refusal).

export interface TokenBucketOptions {
  /** Tokens added per second. */
  perSecond: number;
  /** Most tokens a bucket holds: what a client may spend at once. */
  burst: number;
  /** Most keys remembered (default 10 000). */
  maxKeys?: number;
}

export interface TokenDecision {
  allowed: boolean;
  /** Whole tokens left after this take. */
  remaining: number;
  /** Whole seconds until one token is back (>= 1 when refused, 0 when allowed). */
  retryAfterSeconds: number;
}

interface Bucket {
  tokens: number;
  at: number;
}

export class TokenBuckets {
  readonly perSecond: number;
  readonly burst: number;
  private readonly maxKeys: number;
  private readonly buckets = new Map<string, Bucket>();
  private readonly now: () => number;

  /** `now` (milliseconds) is for tests; the default is a monotonic clock. */
  constructor(options: TokenBucketOptions, now: () => number = () => performance.now()) {
    if (!(options.perSecond > 0) || !(options.burst >= 1)) throw new RangeError('perSecond must be > 0 and burst >= 1');
    this.perSecond = options.perSecond;
    this.burst = options.burst;
    this.maxKeys = options.maxKeys ?? 10_000;
    this.now = now;
  }

  /** Takes one token of `key`'s bucket if there is one. */
  take(key: string): TokenDecision {
    const now = this.now();
    const known = this.buckets.get(key);
    const bucket: Bucket = known
      ? { tokens: Math.min(this.burst, known.tokens + ((now - known.at) / 1000) * this.perSecond), at: now }
      : { tokens: this.burst, at: now };
    const allowed = bucket.tokens >= 1;
    if (allowed) bucket.tokens -= 1;
    // Re-inserted, so the map's order is least recently seen first.
    this.buckets.delete(key);
    this.buckets.set(key, bucket);
    if (this.buckets.size > this.maxKeys) this.buckets.delete(this.buckets.keys().next().value!);
    return {
      allowed,
      remaining: Math.floor(bucket.tokens),
      retryAfterSeconds: allowed ? 0 : Math.max(1, Math.ceil((1 - bucket.tokens) / this.perSecond)),
    };
  }

  /** How many keys are remembered now. */
  get size(): number {
    return this.buckets.size;
  }
}
