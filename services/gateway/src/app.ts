// The gateway's HTTP application: the public /api routes behind
// authentication and rate limiting. Clients are injected so tests build it
// against real Redis and real (or recording) peers.
import swagger from '@fastify/swagger';
import { PUBLIC_SCHEMAS } from '@shop/contracts';
import { createService, mapError, pingRedis, type App, type HttpClient, type LogOptions } from '@shop/kit';
import type { Redis } from 'ioredis';
import type { ApiKeyring } from './auth/api-keys.ts';
import { authenticate } from './auth/authenticate.ts';
import { DEFAULT_TRACE_BUDGET, gatewayTraceBudget, type GatewayTraceBudget } from './auth/trace-budget.ts';
import { SERVICE_NAME } from './config.ts';
import { countRejected, type RejectionReason } from './metrics.ts';
import { openApiRoute, swaggerOptions } from './openapi/document.ts';
import { rateLimit } from './rate-limit/hook.ts';
import { SlidingWindowLimiter } from './rate-limit/sliding-window.ts';
import { orderRoutes } from './routes/orders.ts';
import { productRoutes } from './routes/products.ts';

/** Public bodies are small; anything bigger is refused (413) before parsing. */
export const BODY_LIMIT = 16 * 1024;

export interface AppDeps extends LogOptions {
  redis: Redis;
  keyring: ApiKeyring;
  order: HttpClient;
  inventory: HttpClient;
  rateLimit: { perSecond: number; burst: number; timeoutMs: number; prefix?: string };
  readTimeoutMs: number;
  /** Sampled traces honoured per API key (docs/storefront.md); the defaults of config.ts when unset. */
  traceBudget?: GatewayTraceBudget;
}

export function buildApp(deps: AppDeps): App {
  const app = createService({
    name: SERVICE_NAME,
    bodyLimit: BODY_LIMIT,
    // Only Redis: the gateway answers 503 itself when order or inventory are
    // down, which tells clients more than being taken out of the load balancer.
    readiness: { redis: () => pingRedis(deps.redis) },
    logLevel: deps.logLevel,
    logStream: deps.logStream,
    sampledTraceBudget: gatewayTraceBudget(deps.keyring, deps.traceBudget ?? DEFAULT_TRACE_BUDGET),
  });
  // JSON only: without this Fastify would accept text/plain bodies as strings.
  app.removeContentTypeParser('text/plain');

  if (deps.keyring.usingDevelopmentKey) {
    app.log.warn('no API key configured (SHOP_API_KEY_HASHES, SHOP_API_KEY): the development key is accepted; never run like this outside local development');
  }

  const limiter = new SlidingWindowLimiter(deps.redis, {
    perSecond: deps.rateLimit.perSecond,
    burst: deps.rateLimit.burst,
    ...(deps.rateLimit.prefix ? { prefix: deps.rateLimit.prefix } : {}),
  });

  // The OpenAPI document is generated from the routes registered after this
  // (the plugin watches onRoute); their responses refer to these schemas.
  for (const schema of PUBLIC_SCHEMAS) app.addSchema(schema);
  void app.register(swagger, swaggerOptions);

  // Open routes live outside the /api plugin below, so its hooks (key, rate
  // limit) do not run for them: /healthz and /readyz (the kit's) and the
  // document. openapi/document.ts OPEN_PATHS lists them; nothing else is open.
  void app.register(openApiRoute);

  void app.register(
    async (api: App) => {
      // Order matters: who you are, then whether you may, then (Fastify) the body.
      api.addHook('onRequest', authenticate(deps.keyring));
      api.addHook('onRequest', rateLimit(limiter, { timeoutMs: deps.rateLimit.timeoutMs }));
      api.addHook('onError', async (_request, _reply, error) => {
        const reason = rejectionReason(mapError(error).statusCode);
        if (reason) countRejected(reason);
      });
      await api.register(orderRoutes, { order: deps.order, readTimeoutMs: deps.readTimeoutMs });
      await api.register(productRoutes, { inventory: deps.inventory });
    },
    { prefix: '/api' },
  );
  return app;
}

function rejectionReason(status: number): RejectionReason | undefined {
  if (status === 401) return 'unauthorized';
  if (status === 429) return 'rate_limited';
  if (status === 400 || status === 413 || status === 415) return 'invalid';
  return undefined;
}
