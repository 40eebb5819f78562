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
