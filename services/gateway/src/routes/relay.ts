// Peers already answer in the public error model ({ error, message,
// trace_id }) with the right status, so their answers go to the client as
// they are, with the few headers that carry meaning to it.
//
// "As they are" includes the bytes: the routes' response schemas (from
// @shop/contracts) document these bodies, but serializing through them would
// drop any field a schema does not name and turn a body missing a required
// field into a 500. The peer owns its answer, so it is sent with plain
// JSON.stringify (relay.test.ts).
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
  // A custom serializer leaves the content type to us (Fastify sets it only
  // for its own JSON serialization).
  return reply.code(upstream.status).type('application/json; charset=utf-8').serializer(JSON.stringify).send(upstream.body);
}
