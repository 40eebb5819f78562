// The storefront's configuration, read once from the environment at start:
// where the gateway is and the key it holds for it, where spans go, and the
// limits on what it accepts from the internet.
import { fileURLToPath } from 'node:url';
import { LOCAL_ADDRESSES, STOREFRONT, localJaegerQueryUrl, localServiceUrl } from '@shop/contracts';
import { addressRanges, integer, number, optionalString, port, string, url, type ConfigOf } from '@shop/kit';

export const SERVICE_NAME = STOREFRONT.otelName;

/** Where `npm run build` writes the pages' bundles (bin/build-assets.ts). */
export const DEFAULT_ASSETS_DIR = fileURLToPath(new URL('../dist', import.meta.url));

const http = ['http:', 'https:'];

export const configSpec = {
  port: port('PORT', STOREFRONT.port),
  host: string('HOST', { default: '0.0.0.0' }),
  logLevel: string('LOG_LEVEL', { default: 'info' }),
  gatewayUrl: url('GATEWAY_URL', { protocols: http, default: localServiceUrl('gateway') }),
  // The storefront's own key for the public API, from a Secret in a
  // cluster; never sent to a browser, never logged.
  apiKey: string('STOREFRONT_API_KEY', { secret: true }),
  // Placing an order runs the whole saga; reads are quick and retried.
  orderTimeoutMs: integer('STOREFRONT_ORDER_TIMEOUT_MS', { default: 10_000, min: 100, max: 60_000 }),
  readTimeoutMs: integer('STOREFRONT_READ_TIMEOUT_MS', { default: 2_000, min: 100, max: 60_000 }),
  jaegerQueryUrl: url('JAEGER_QUERY_URL', { protocols: http, default: localJaegerQueryUrl() }),
  // Linked from the order page only when set: local Jaeger has no web UI.
  jaegerUiUrl: optionalString('JAEGER_UI_URL'),
  // Where the pages' spans are forwarded to (the SDK's own variables: the
  // signal's full URL, else the base endpoint + /v1/traces).
  otlpEndpoint: url('OTEL_EXPORTER_OTLP_ENDPOINT', { protocols: http, default: `http://${LOCAL_ADDRESSES.host}:${LOCAL_ADDRESSES.otlpHttpPort}` }),
  otlpTracesEndpoint: optionalString('OTEL_EXPORTER_OTLP_TRACES_ENDPOINT'),
  // The pages decide head sampling with the same ratio the server samples
  // its own roots with (make local: 1.0).
  samplingRatio: number('OTEL_TRACES_SAMPLER_ARG', { default: 1, min: 0, max: 1 }),
  assetsDir: string('STOREFRONT_ASSETS_DIR', { default: DEFAULT_ASSETS_DIR }),
  // The reverse proxies (an ingress, a load balancer) whose X-Forwarded-For
  // names the client the per-client limits hold. None by default: the
  // header is anyone's to write, so it is read only from these peers.
  trustedProxies: addressRanges('STOREFRONT_TRUSTED_PROXIES'),
  // Per client address, in this process (docs/storefront.md).
  pagesPerSecond: number('STOREFRONT_RATE_LIMIT_PER_SECOND', { default: 20, min: 0.01, max: 100_000 }),
  pagesBurst: integer('STOREFRONT_RATE_LIMIT_BURST', { default: 60, min: 1, max: 100_000 }),
  checkoutsPerSecond: number('STOREFRONT_CHECKOUT_PER_SECOND', { default: 1, min: 0.01, max: 100_000 }),
  checkoutsBurst: integer('STOREFRONT_CHECKOUT_BURST', { default: 5, min: 1, max: 100_000 }),
  spanBatchesPerSecond: number('STOREFRONT_OTLP_PER_SECOND', { default: 2, min: 0.01, max: 100_000 }),
  spanBatchesBurst: integer('STOREFRONT_OTLP_BURST', { default: 20, min: 1, max: 100_000 }),
  spanBatchMaxBytes: integer('STOREFRONT_OTLP_MAX_BYTES', { default: 64 * 1024, min: 1024, max: 1024 * 1024 }),
  spanBatchMaxSpans: integer('STOREFRONT_OTLP_MAX_SPANS', { default: 256, min: 1, max: 10_000 }),
  traceBudgetPerSecond: number('STOREFRONT_TRACE_BUDGET_PER_SECOND', { default: 1, min: 0.001, max: 100_000 }),
  traceBudgetBurst: integer('STOREFRONT_TRACE_BUDGET_BURST', { default: 20, min: 1, max: 100_000 }),
};

export type StorefrontConfig = ConfigOf<typeof configSpec>;

/** The URL the pages' span batches are forwarded to. */
export function otlpTracesUrl(config: Pick<StorefrontConfig, 'otlpEndpoint' | 'otlpTracesEndpoint'>): string {
  return config.otlpTracesEndpoint ?? `${config.otlpEndpoint.replace(/\/$/, '')}/v1/traces`;
}
