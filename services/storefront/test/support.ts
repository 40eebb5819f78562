// Shared by the storefront's tests: the app built as main.ts builds it, on
// the real gateway of `make local` (its key in local mode) and the real
// Jaeger, with the built assets; and a shopper's cookie jar for
// app.inject, which keeps none itself.
import { DEVELOPMENT_API_KEY, LOCAL_ADDRESSES, localJaegerQueryUrl, localServiceUrl } from '@shop/contracts';
import type { App } from '@shop/kit';
import { buildApp, type AppDeps } from '../src/app.ts';
import { loadAssets } from '../src/assets/assets.ts';
import { DEFAULT_ASSETS_DIR } from '../src/config.ts';
import { Gateway } from '../src/gateway.ts';
import { TraceReader } from '../src/order-trace.ts';

export const GATEWAY_URL = process.env.GATEWAY_URL ?? localServiceUrl('gateway');
export const API_KEY = process.env.SHOP_API_KEY ?? DEVELOPMENT_API_KEY;
export const JAEGER_QUERY_URL = process.env.JAEGER_QUERY_URL ?? localJaegerQueryUrl();
export const OTLP_TRACES_URL = `${process.env.OTEL_EXPORTER_OTLP_ENDPOINT ?? `http://${LOCAL_ADDRESSES.host}:${LOCAL_ADDRESSES.otlpHttpPort}`}/v1/traces`;
/** Nothing listens on port 1: a peer there is down. */
export const NOWHERE = 'http://127.0.0.1:1';

const roomy = { perSecond: 1000, burst: 1000 };

export async function testApp(
  options: Partial<Omit<AppDeps, 'gateway' | 'traces' | 'assets'>> & { gatewayUrl?: string; jaegerQueryUrl?: string } = {},
): Promise<App> {
  const { gatewayUrl = GATEWAY_URL, jaegerQueryUrl = JAEGER_QUERY_URL, ...deps } = options;
  const app = buildApp({
    gateway: new Gateway({ baseUrl: gatewayUrl, apiKey: API_KEY, orderTimeoutMs: 10_000, readTimeoutMs: 2_000 }),
    traces: new TraceReader({ jaegerQueryUrl, timeoutMs: 2_000 }),
    assets: await loadAssets(DEFAULT_ASSETS_DIR),
    samplingRatio: 1,
    jaegerUiUrl: undefined,
    otlpTracesUrl: OTLP_TRACES_URL,
    limits: { pages: roomy, checkouts: roomy, spanBatches: roomy },
    spanBatch: { maxBytes: 64 * 1024, maxSpans: 256 },
    traceBudget: roomy,
    logLevel: 'silent',
    ...deps,
  });
  await app.ready();
  return app;
}

/** The cookie a page set, as the browser would send it back. */
export function cookieFrom(setCookie: string | string[] | undefined): string {
  const first = [setCookie ?? []].flat()[0];
  if (!first) throw new Error('no cookie was set');
  return first.split(';')[0]!;
}

/** A shopper of its own: loads a product page, keeps the cookie and the checkout key it was given. */
export async function shopper(app: App, productId = 'PROD-123'): Promise<{ cookie: string; checkoutKey: string }> {
  const page = await app.inject({ method: 'GET', url: `/products/${productId}` });
  if (page.statusCode !== 200) throw new Error(`product page answered ${page.statusCode}: ${page.body}`);
  const checkoutKey = /data-checkout-key="([^"]+)"/.exec(page.body)?.[1];
  if (!checkoutKey) throw new Error('no checkout key on the product page');
  return { cookie: cookieFrom(page.headers['set-cookie']), checkoutKey };
}
