// POST /otlp/v1/traces: the pages' spans, on the storefront's own origin, so
// no collector is ever exposed to browsers and no CORS is needed (none is
// answered). A batch is forwarded to the storefront's OTLP endpoint only
// when it is JSON, within the size limit, of the web SDK's shape, all of it
// storefront-web's, with no more spans than allowed, and its client within
// its rate; anything else is dropped with 400, 413, 415 or 429.
import { STOREFRONT_OTLP_TRACES_PATH } from '@shop/contracts';
import { HttpClient, badRequest, serviceUnavailable, type App } from '@shop/kit';
import { limitPerClient, type ClientLimit } from '../client-limits.ts';
import { checkSpanBatch, spanBatchSchema, type SpanBatch } from '../span-batches.ts';

export interface SpanProxyOptions {
  /** Where batches go: the OTLP/HTTP traces URL (…/v1/traces). */
  otlpTracesUrl: string;
  maxBytes: number;
  maxSpans: number;
  limit: ClientLimit;
}

export async function spanProxyRoutes(app: App, options: SpanProxyOptions): Promise<void> {
  const target = new URL(options.otlpTracesUrl);
  const collector = new HttpClient({ baseUrl: target.origin, peer: 'otlp-endpoint', timeoutMs: 5_000, retries: 0 });
  app.addHook('onRequest', limitPerClient(options.limit));
  app.post(
    STOREFRONT_OTLP_TRACES_PATH,
    { bodyLimit: options.maxBytes, schema: { body: spanBatchSchema(options.maxSpans) }, config: { otel: false } },
    async (request, reply) => {
      const batch = request.body as SpanBatch;
      const problem = checkSpanBatch(batch, options.maxSpans);
      if (problem) throw badRequest(problem);
      const answer = await collector.post(target.pathname + target.search, batch);
      if (answer.status < 200 || answer.status > 299) throw serviceUnavailable(`the OTLP endpoint answered ${answer.status}`);
      return reply.code(200).send({});
    },
  );
}
