// Peers already answer in the public error model ({ error, message,
// trace_id }) with the right status, so their answers go to the client as
// they are, with the few headers that carry meaning to it.
import { badGateway, type HttpResponse } from '@shop/kit';
import type { FastifyReply } from 'fastify';

const RELAYED_HEADERS = ['idempotent-replayed', 'retry-after'];

export function relay(reply: FastifyReply, upstream: HttpResponse<unknown>, peer: string): FastifyReply {
  if (typeof upstream.body !== 'object' || upstream.body === null) {
    // Not one of our services' answers (a proxy's HTML page, an empty body).
    throw badGateway(`${peer} sent an unexpected answer`);
  }
  for (const name of RELAYED_HEADERS) {
    const value = upstream.headers.get(name);
    if (value !== null) void reply.header(name, value);
  }
  return reply.code(upstream.status).send(upstream.body);
}
