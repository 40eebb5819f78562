// Each order the generator places is a trace of its own: a root span of
// the service load-generator (never the child of whatever was active when
// the loop fired), around the POST the undici instrumentation traces and
// carries on to the gateway. The flag that set the rate is evaluated on that
// span, so while it is on the span carries its feature_flag.evaluation event.
// 5xx and no answer are errors of the span; a refusal (4xx) is an answer.
import { SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import { LOAD_GENERATOR_SPANS } from '@shop/contracts';
import type { FaultFlags } from '@shop/kit';
import type { Outcome, SendRequest } from '@shop/load';
import { SERVICE_NAME } from './config.ts';

export function tracedSend(send: SendRequest, flags: Pick<FaultFlags, 'number'>, productId: string): SendRequest {
  const tracer = trace.getTracer(SERVICE_NAME);
  return (signal) =>
    tracer.startActiveSpan(
      LOAD_GENERATOR_SPANS.order,
      { root: true, kind: SpanKind.INTERNAL, attributes: { 'product.id': productId } },
      async (span): Promise<Outcome> => {
        try {
          await flags.number('loadGeneratorRate');
          const outcome = await send(signal);
          span.setAttribute('load.outcome', String(outcome));
          if (typeof outcome === 'number') span.setAttribute('http.response.status_code', outcome);
          if (typeof outcome !== 'number' || outcome >= 500) span.setStatus({ code: SpanStatusCode.ERROR, message: String(outcome) });
          return outcome;
        } finally {
          span.end();
        }
      },
    );
}
