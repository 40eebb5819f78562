// The onRequest hook that admits only callers with a valid API key, before
// any body is read. The caller is known from then on by its key id only.
import { context, trace } from '@opentelemetry/api';
import { unauthorized } from '@shop/kit';
import type { FastifyRequest, onRequestAsyncHookHandler } from 'fastify';
import { bearerToken, type ApiKeyring } from './api-keys.ts';

const keyIds = new WeakMap<FastifyRequest, string>();

/** The key id of the authenticated caller (set by the authenticate hook). */
export function callerKeyId(request: FastifyRequest): string {
  const id = keyIds.get(request);
  if (id === undefined) throw new Error('callerKeyId used on a route without the authenticate hook');
  return id;
}

export function authenticate(keyring: ApiKeyring): onRequestAsyncHookHandler {
  return async (request) => {
    const token = bearerToken(request.headers.authorization);
    const id = token === undefined ? undefined : keyring.identify(token);
    if (id === undefined) throw unauthorized();
    keyIds.set(request, id);
    trace.getSpan(context.active())?.setAttribute('gateway.api_key.id', id);
    request.log = request.log.child({ 'gateway.api_key.id': id });
  };
}
