// The checkout span under the web SDK's own synchronous context manager, in
// Node: it sits between the click and the fetch, ends when the answer is in,
// and says how the checkout ended: OK for an order, ERROR for a failing
// shop, unset for a refusal.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { context, SpanStatusCode, trace } from '@opentelemetry/api';
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor, StackContextManager, type ReadableSpan } from '@opentelemetry/sdk-trace-web';
import { STOREFRONT_WEB_SPANS } from '@shop/contracts/storefront';
import { checkoutOutcome, traceCheckout } from './checkout-span.ts';

const exporter = new InMemorySpanExporter();
const provider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
const tracer = provider.getTracer('checkout-span.test');
context.setGlobalContextManager(new StackContextManager().enable());
after(() => {
  context.disable();
});

/** A click as the user-interaction instrumentation makes one: the listener runs with the click's span active, which ends when it returns. */
function click(listener: () => void): string {
  return tracer.startActiveSpan('click', (span) => {
    listener();
    span.end();
    return span.spanContext().spanId;
  });
}

function checkoutSpan(): ReadableSpan {
  const spans = exporter.getFinishedSpans().filter((s) => s.name === STOREFRONT_WEB_SPANS.checkout);
  assert.equal(spans.length, 1, 'one checkout span');
  return spans[0]!;
}

test("the checkout span is the click's child and the parent of what the fetch starts, synchronously", async () => {
  exporter.reset();
  let fetchParent: string | undefined;
  let answered!: Promise<{ status: number }>;
  const clickId = click(() => {
    answered = traceCheckout(tracer, () => {
      // Where the fetch instrumentation reads the active context.
      fetchParent = trace.getActiveSpan()?.spanContext().spanId;
      return Promise.resolve({ status: 201 });
    });
  });
  assert.equal((await answered).status, 201);
  const span = checkoutSpan();
  assert.equal(span.parentSpanContext?.spanId, clickId);
  assert.equal(fetchParent, span.spanContext().spanId);
  assert.equal(
    span.spanContext().traceId,
    exporter
      .getFinishedSpans()
      .find((s) => s.name === 'click')
      ?.spanContext().traceId,
  );
});

test('the span ends only when the answer is in, and the answer is handed on as it came', async () => {
  exporter.reset();
  let answer!: (value: { status: number; body: string }) => void;
  const placed = traceCheckout(tracer, () => new Promise<{ status: number; body: string }>((resolve) => (answer = resolve)));
  await new Promise((resolve) => setTimeout(resolve, 5));
  assert.deepEqual(exporter.getFinishedSpans(), [], 'still waiting for the answer');
  answer({ status: 201, body: 'the order' });
  assert.deepEqual(await placed, { status: 201, body: 'the order' });
  assert.ok(checkoutSpan().ended);
});

test('an order created is OK, with the outcome and the status code', async () => {
  exporter.reset();
  await traceCheckout(tracer, async () => ({ status: 201 }));
  const span = checkoutSpan();
  assert.equal(span.status.code, SpanStatusCode.OK);
  assert.equal(span.attributes['order.outcome'], 'created');
  assert.equal(span.attributes['http.response.status_code'], 201);
});

test('a refusal (declined or out of stock, which the storefront answers 200; too fast, 429; other 4xx) is left unset: the shop worked', async () => {
  for (const status of [200, 400, 403, 413, 429]) {
    exporter.reset();
    await traceCheckout(tracer, async () => ({ status }));
    const span = checkoutSpan();
    assert.equal(span.status.code, SpanStatusCode.UNSET, String(status));
    assert.equal(span.attributes['order.outcome'], 'refused', String(status));
    assert.equal(span.attributes['http.response.status_code'], status);
    assert.equal(span.attributes['error.type'], undefined);
  }
});

test('the shop failing (5xx) is an ERROR with the status code as the error type', async () => {
  for (const status of [500, 503, 504]) {
    exporter.reset();
    await traceCheckout(tracer, async () => ({ status }));
    const span = checkoutSpan();
    assert.equal(span.status.code, SpanStatusCode.ERROR, String(status));
    assert.equal(span.attributes['order.outcome'], 'failed');
    assert.equal(span.attributes['http.response.status_code'], status);
    assert.equal(span.attributes['error.type'], String(status));
  }
});

test('no answer at all (the fetch rejects, or throws at once) is an ERROR, and the rejection reaches the page', async () => {
  exporter.reset();
  await assert.rejects(
    traceCheckout(tracer, () => Promise.reject(new TypeError('Failed to fetch'))),
    TypeError,
  );
  let span = checkoutSpan();
  assert.equal(span.status.code, SpanStatusCode.ERROR);
  assert.equal(span.attributes['order.outcome'], 'failed');
  assert.equal(span.attributes['http.response.status_code'], undefined);
  assert.equal(span.attributes['error.type'], 'TypeError');

  exporter.reset();
  await assert.rejects(
    traceCheckout(tracer, () => {
      throw new RangeError('cannot send');
    }),
    RangeError,
  );
  span = checkoutSpan();
  assert.equal(span.status.code, SpanStatusCode.ERROR);
  assert.ok(span.ended);
});

test('every status reads as one outcome', () => {
  assert.equal(checkoutOutcome(201), 'created');
  for (const status of [200, 202, 400, 402, 404, 409, 429, 499]) assert.equal(checkoutOutcome(status), 'refused', String(status));
  for (const status of [undefined, 0, 101, 302, 500, 502, 503, 504, 599]) assert.equal(checkoutOutcome(status), 'failed', String(status));
});
