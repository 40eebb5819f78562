// storefront: wiring. Configuration, the built assets, the gateway with the
// storefront's key, Jaeger's query API, the app, and a graceful stop.
//   node --import @shop/kit/telemetry/register src/main.ts
import { failConfig, loadConfigOrExit, runService } from '@shop/kit';
import { MissingAssetsError, loadAssets } from './assets/assets.ts';
import { buildApp } from './app.ts';
import { configSpec, otlpTracesUrl, SERVICE_NAME } from './config.ts';
import { Gateway } from './gateway.ts';
import { TraceReader } from './order-trace.ts';

const config = loadConfigOrExit(SERVICE_NAME, configSpec);

let assets: Awaited<ReturnType<typeof loadAssets>>;
try {
  assets = await loadAssets(config.assetsDir);
} catch (err) {
  if (!(err instanceof MissingAssetsError)) throw err;
  failConfig(SERVICE_NAME, err.message);
}

const app = buildApp({
  gateway: new Gateway({ baseUrl: config.gatewayUrl, apiKey: config.apiKey, orderTimeoutMs: config.orderTimeoutMs, readTimeoutMs: config.readTimeoutMs }),
  traces: new TraceReader({ jaegerQueryUrl: config.jaegerQueryUrl, timeoutMs: config.readTimeoutMs }),
  assets,
  samplingRatio: config.samplingRatio,
  jaegerUiUrl: config.jaegerUiUrl,
  otlpTracesUrl: otlpTracesUrl(config),
  limits: {
    pages: { perSecond: config.pagesPerSecond, burst: config.pagesBurst },
    checkouts: { perSecond: config.checkoutsPerSecond, burst: config.checkoutsBurst },
    spanBatches: { perSecond: config.spanBatchesPerSecond, burst: config.spanBatchesBurst },
  },
  spanBatch: { maxBytes: config.spanBatchMaxBytes, maxSpans: config.spanBatchMaxSpans },
  traceBudget: { perSecond: config.traceBudgetPerSecond, burst: config.traceBudgetBurst },
  trustedProxies: config.trustedProxies,
  logLevel: config.logLevel,
});

app.log.info(
  {
    gateway: config.gatewayUrl,
    sampling_ratio: config.samplingRatio,
    trace_budget: { per_second: config.traceBudgetPerSecond, burst: config.traceBudgetBurst },
    trusted_proxies: config.trustedProxies,
  },
  'storefront configured',
);
await runService(app, { port: config.port, host: config.host });
