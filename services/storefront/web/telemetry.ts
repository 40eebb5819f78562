// The pages' OpenTelemetry: the web SDK with document load, fetch and user
// interaction instrumentation, resource service.name=storefront-web,
// exporting OTLP/HTTP JSON to the storefront's own origin (it checks each
// batch and forwards it; the browser never talks to a collector). Head
// sampling is decided here, once, at the ratio the storefront gave the page;
// a click's fetch to the storefront carries `traceparent`, and the backend
// continues that decision. The pages' spans of their own (the checkout) come
// from the tracer handed out here, so they are sampled and exported alike.
import type { Tracer } from '@opentelemetry/api';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { registerInstrumentations } from '@opentelemetry/instrumentation';
import { DocumentLoadInstrumentation } from '@opentelemetry/instrumentation-document-load';
import { FetchInstrumentation } from '@opentelemetry/instrumentation-fetch';
import { UserInteractionInstrumentation } from '@opentelemetry/instrumentation-user-interaction';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BatchSpanProcessor, ParentBasedSampler, TraceIdRatioBasedSampler, WebTracerProvider } from '@opentelemetry/sdk-trace-web';
import { STOREFRONT, STOREFRONT_OTLP_TRACES_PATH } from '@shop/contracts/storefront';

export interface PageTelemetry {
  /** Sends what is recorded now; resolves when sent (or after `timeoutMs`). */
  flush(timeoutMs?: number): Promise<void>;
  /** For the pages' own spans (STOREFRONT_WEB_SPANS). */
  tracer: Tracer;
}

/** The ratio the server wrote into the page (`<meta name="otel-sampling-ratio">`); 1 when absent. */
function samplingRatio(): number {
  const value = Number(document.querySelector<HTMLMetaElement>('meta[name="otel-sampling-ratio"]')?.content);
  return Number.isFinite(value) && value >= 0 && value <= 1 ? value : 1;
}

export function startTelemetry(): PageTelemetry {
  const otlpUrl = new URL(STOREFRONT_OTLP_TRACES_PATH, window.location.origin).href;
  const provider = new WebTracerProvider({
    resource: resourceFromAttributes({ 'service.name': STOREFRONT.webOtelName }),
    sampler: new ParentBasedSampler({ root: new TraceIdRatioBasedSampler(samplingRatio()) }),
    spanProcessors: [new BatchSpanProcessor(new OTLPTraceExporter({ url: otlpUrl }), { scheduledDelayMillis: 1000, maxExportBatchSize: 100 })],
  });
  // The default context manager (synchronous) and the W3C propagator.
  provider.register();
  registerInstrumentations({
    instrumentations: [
      new DocumentLoadInstrumentation(),
      // Only the page's own origin gets `traceparent` (the default). Never
      // traced: the span exports themselves, and the order page's polls (a
      // trace a second would bury the order's own).
      new FetchInstrumentation({ ignoreUrls: [otlpUrl, /\/orders\/[^/?]+\/state(\?|$)/] }),
      new UserInteractionInstrumentation({ eventNames: ['click'] }),
    ],
  });
  return {
    tracer: provider.getTracer('@shop/storefront/web'),
    async flush(timeoutMs = 1500) {
      await Promise.race([provider.forceFlush(), new Promise((resolve) => setTimeout(resolve, timeoutMs))]);
    },
  };
}
