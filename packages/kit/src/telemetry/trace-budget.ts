// How many sampled traces a service at the edge lets each client start.
// Head sampling is decided once, by the caller, and honoured downstream:
// that is what lets a browser's click and the backend work it causes be one
// trace. But anyone can send `traceparent: 00-...-01`, and a client that
// sends it on every request would have every request recorded, whatever
// ratio the operator chose. So the edge gives each client (an address, an
// API key) a token bucket of sampled parents: within it the caller's
// decision stands; beyond it the request continues unsampled, its trace id
// kept. Requests without a sampled parent cost nothing: the service's own
// sampler decides those at its ratio.
import type { IncomingMessage } from 'node:http';
import { BlockList, isIP } from 'node:net';
import { TokenBuckets } from '../token-bucket.ts';
import type { SampledParentBudget } from './http-server.ts';

export interface TraceBudgetOptions {
  /** Sampled parents honoured per second and client, on average. */
  perSecond: number;
  /** Sampled parents a client may send at once. */
  burst: number;
  /** Who the client is: its address, its API key's id. */
  client(req: IncomingMessage): string;
  /** Most clients remembered (see TokenBuckets). */
  maxClients?: number;
}

export function sampledTraceBudget(options: TraceBudgetOptions): SampledParentBudget {
  const buckets = new TokenBuckets({
    perSecond: options.perSecond,
    burst: options.burst,
    ...(options.maxClients === undefined ? {} : { maxKeys: options.maxClients }),
  });
  return (req) => buckets.take(options.client(req)).allowed;
}

/** The peer address of the connection: who a client is when nothing better is known. */
export function clientAddress(req: IncomingMessage): string {
  return req.socket.remoteAddress ?? 'unknown';
}

/**
 * Who a client is behind reverse proxies: the connection's peer, or, when
 * that peer is one of `trusted` (addresses or CIDR ranges, as the kit's
 * `addressRanges` setting reads them), the nearest address in
 * X-Forwarded-For that is not a trusted proxy. The rule is Fastify's
 * `trustProxy` (proxy-addr), so the trace budget, decided before Fastify
 * reads the request, sees the client its per-client limits see.
 */
export function forwardedClientAddress(trusted: readonly string[]): (req: IncomingMessage) => string {
  if (trusted.length === 0) return clientAddress;
  const proxies = new BlockList();
  for (const range of trusted) {
    const [address = '', prefix] = range.split('/');
    const family = isIP(address) === 6 ? 'ipv6' : 'ipv4';
    if (prefix === undefined) proxies.addAddress(address, family);
    else proxies.addSubnet(address, Number(prefix), family);
  }
  const isProxy = (address: string) => {
    const plain = address.startsWith('::ffff:') && isIP(address.slice(7)) === 4 ? address.slice(7) : address;
    const version = isIP(plain);
    return version !== 0 && proxies.check(plain, version === 6 ? 'ipv6' : 'ipv4');
  };
  return (req) => {
    let client = clientAddress(req);
    const header = req.headers['x-forwarded-for'];
    const forwarded = (Array.isArray(header) ? header.join(',') : (header ?? ''))
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean);
    // From the nearest hop outwards, while the hop that told us is a proxy we trust.
    while (isProxy(client) && forwarded.length > 0) client = forwarded.pop()!;
    return client;
  };
}
