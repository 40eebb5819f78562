// The storefront as a Fastify app on the kit's createService (health,
// readiness, drain, telemetry, the JSON error model): the pages, the
// checkout and order state the pages call, the span proxy, and the built
// assets. Built from injected parts, so tests run it with app.inject
// against the real gateway and Jaeger.
import { STOREFRONT_OTLP_TRACES_PATH } from '@shop/contracts';
import { createService, forwardedClientAddress, sampledTraceBudget, type App, type LogOptions } from '@shop/kit';
import type { Assets } from './assets/assets.ts';
import type { ClientLimit } from './client-limits.ts';
import { SERVICE_NAME } from './config.ts';
import type { Gateway } from './gateway.ts';
import type { TraceReader } from './order-trace.ts';
import { assetRoutes } from './routes/assets.ts';
import { orderRoutes } from './routes/orders.ts';
import { CATALOGUE_PAGE_SIZE, pageRoutes } from './routes/pages.ts';
import { spanProxyRoutes } from './routes/span-proxy.ts';

/** What a shopper sends is small: a checkout is under 200 bytes. Span batches have their own limit. */
export const BODY_LIMIT = 4 * 1024;

export interface AppDeps extends LogOptions {
  gateway: Gateway;
  traces: TraceReader;
  assets: Assets;
  samplingRatio: number;
  jaegerUiUrl: string | undefined;
  otlpTracesUrl: string;
  limits: { pages: ClientLimit; checkouts: ClientLimit; spanBatches: ClientLimit };
  spanBatch: { maxBytes: number; maxSpans: number };
  /** Sampled traces each client address may start (docs/storefront.md). */
  traceBudget: ClientLimit;
  /** Reverse proxies whose X-Forwarded-For names the client of the per-client limits; none when unset. */
  trustedProxies?: readonly string[];
  /** Products per catalogue page (CATALOGUE_PAGE_SIZE unless a test wants more pages). */
  cataloguePageSize?: number;
}

/**
 * Sent with every answer. Scripts, styles and connections only from this
 * origin (the pages have no inline script or style), no framing, no
 * referrer to other sites. No Access-Control-* header is ever sent.
 */
const SECURITY_HEADERS: Record<string, string> = {
  'content-security-policy':
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'",
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'same-origin',
  'x-frame-options': 'DENY',
  'cross-origin-opener-policy': 'same-origin',
  'cross-origin-resource-policy': 'same-origin',
  'permissions-policy': 'camera=(), microphone=(), geolocation=(), payment=()',
};

export function buildApp(deps: AppDeps): App {
  const app = createService({
    name: SERVICE_NAME,
    bodyLimit: BODY_LIMIT,
    // The gateway is not a readiness condition: with it down the pages
    // still answer, and say the shop is unavailable.
    logLevel: deps.logLevel,
    logStream: deps.logStream,
    // Per client as the per-client limits see it: behind a trusted proxy, the forwarded address.
    sampledTraceBudget: sampledTraceBudget({
      perSecond: deps.traceBudget.perSecond,
      burst: deps.traceBudget.burst,
      client: forwardedClientAddress(deps.trustedProxies ?? []),
    }),
    // Tracing the span proxy would make a trace of every batch of spans.
    untracedPaths: [STOREFRONT_OTLP_TRACES_PATH],
    // request.ip, which the per-client limits key by (client-limits.ts).
    trustProxy: deps.trustedProxies,
  });
  // JSON only (and the span proxy's JSON): never text parsed as a string.
  app.removeContentTypeParser('text/plain');
  app.addHook('onSend', async (request, reply, payload) => {
    void reply.headers(SECURITY_HEADERS);
    if (!request.url.startsWith('/assets/')) void reply.header('cache-control', 'no-store');
    return payload;
  });

  void app.register(assetRoutes, { assets: deps.assets, limit: deps.limits.pages });
  void app.register(pageRoutes, {
    gateway: deps.gateway,
    traces: deps.traces,
    assets: deps.assets,
    samplingRatio: deps.samplingRatio,
    jaegerUiUrl: deps.jaegerUiUrl,
    limit: deps.limits.pages,
    cataloguePageSize: deps.cataloguePageSize ?? CATALOGUE_PAGE_SIZE,
  });
  void app.register(orderRoutes, {
    gateway: deps.gateway,
    traces: deps.traces,
    jaegerUiUrl: deps.jaegerUiUrl,
    checkoutLimit: deps.limits.checkouts,
    readLimit: deps.limits.pages,
  });
  void app.register(spanProxyRoutes, {
    otlpTracesUrl: deps.otlpTracesUrl,
    maxBytes: deps.spanBatch.maxBytes,
    maxSpans: deps.spanBatch.maxSpans,
    limit: deps.limits.spanBatches,
  });
  return app;
}
