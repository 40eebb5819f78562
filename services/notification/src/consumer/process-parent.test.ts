// Where notification.process hangs in the trace, with and without a span
// opened by the kafkajs instrumentation around the handler.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ROOT_CONTEXT, SpanKind, context, trace } from '@opentelemetry/api';
import { installTestTelemetry } from '@shop/kit/test/otel';

installTestTelemetry();
const { injectContext, extractContext } = await import('@shop/kit');
const { processParent } = await import('./process-message.ts');

const tracer = trace.getTracer('process-parent-test');

function producerHeaders() {
  const span = tracer.startSpan('send order-notifications', { kind: SpanKind.PRODUCER });
  const headers = injectContext(trace.setSpan(ROOT_CONTEXT, span));
  span.end();
  return { span, headers: Object.fromEntries(Object.entries(headers).map(([k, v]) => [k, Buffer.from(v)])) };
}

test('without an instrumentation span, the parent is the producer’s context from the headers', () => {
  const { span, headers } = producerHeaders();
  const parent = processParent(headers, ROOT_CONTEXT);
  assert.equal(trace.getSpanContext(parent)?.spanId, span.spanContext().spanId);
});

test('inside the kafkajs instrumentation’s process span (a child of the producer), the parent is that span', () => {
  const { span, headers } = producerHeaders();
  const instrumentation = tracer.startSpan('process order-notifications', { kind: SpanKind.CONSUMER }, extractContext(headers, ROOT_CONTEXT));
  const active = trace.setSpan(ROOT_CONTEXT, instrumentation);
  const parent = context.with(active, () => processParent(headers));
  assert.equal(trace.getSpanContext(parent)?.spanId, instrumentation.spanContext().spanId);
  assert.equal(trace.getSpanContext(parent)?.traceId, span.spanContext().traceId);
  instrumentation.end();
});

test('a message without trace headers starts from whatever is active (a new trace when nothing is)', () => {
  assert.equal(trace.getSpanContext(processParent({}, ROOT_CONTEXT)), undefined);
  const root = tracer.startSpan('process order-notifications', { kind: SpanKind.CONSUMER });
  const active = trace.setSpan(ROOT_CONTEXT, root);
  assert.equal(trace.getSpanContext(processParent(undefined, active))?.spanId, root.spanContext().spanId);
  root.end();
});
