// Per-client rate limits at the storefront, by the client's address:
// pages (and their assets), checkouts, and span batches each have a bucket
// of their own, since a shopper loads many pages, places few orders, and
// its page sends a span batch every second or so while busy. Kept in this
// process (the kit's TokenBuckets): the storefront has no store of its own,
// and the limit that protects the backend is the gateway's, per API key,
// shared through Redis; these keep one client from spending the whole
// shop's share of it. With N replicas a client gets up to N times these.
//
// The client's address is Fastify's request.ip: the connection's peer, or,
// when that peer is one of STOREFRONT_TRUSTED_PROXIES, the address those
// proxies say they forwarded for. Behind an ingress (or a kubectl
// port-forward) every peer is the proxy, and without that every shopper
// would share one bucket.
import { TokenBuckets, tooManyRequests } from '@shop/kit';
import type { onRequestAsyncHookHandler } from 'fastify';

export interface ClientLimit {
  perSecond: number;
  burst: number;
}

export function limitPerClient(limit: ClientLimit): onRequestAsyncHookHandler {
  const buckets = new TokenBuckets({ perSecond: limit.perSecond, burst: limit.burst });
  return async (request, reply) => {
    // No address once the socket is gone: those few share a bucket.
    const decision = buckets.take(request.ip ?? 'unknown');
    if (!decision.allowed) throw tooManyRequests(decision.retryAfterSeconds);
    void reply.header('x-ratelimit-remaining', String(decision.remaining));
  };
}
