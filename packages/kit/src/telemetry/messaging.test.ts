import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ROOT_CONTEXT, SpanKind, SpanStatusCode, context, trace } from '@opentelemetry/api';
import { isTracingSuppressed } from '@opentelemetry/core';
import type { EachMessagePayload, IHeaders, Message } from 'kafkajs';
import { installTestTelemetry } from '../../test/otel.ts';

const otel = installTestTelemetry();
const { sendTraced, processTraced } = await import('./messaging.ts');
const { traceIdentity, unsampledContext } = await import('./context.ts');

const tracer = trace.getTracer('messaging-test');
const TRACE_ID = '0af7651916cd43dd8448eb211c80319c';

function remote(flags: number) {
  return trace.setSpanContext(ROOT_CONTEXT, { traceId: TRACE_ID, spanId: 'b7ad6b7169203331', traceFlags: flags, isRemote: true });
}

function payload(headers: IHeaders, offset = '7'): EachMessagePayload {
  const message = { key: Buffer.from('order-1'), value: Buffer.from('{"a":1}'), headers, offset, timestamp: '0', attributes: 0 };
  return { topic: 'order-notifications', partition: 2, message, heartbeat: async () => {}, pause: () => () => {} } as EachMessagePayload;
}

async function spansNamed(name: string) {
  return (await otel.finishedSpans()).filter((span) => span.name === name);
}

test('each message sent gets its own PRODUCER span, child of its context, and carries that span in its headers', async () => {
  otel.spans.reset();
  const parents = [tracer.startSpan('order.create'), tracer.startSpan('order.create')];
  let sent: Message[] = [];
  await sendTraced(
    'order-notifications',
    parents.map((parent, i) => ({
      message: { key: `order-${i}`, value: '{}', headers: { 'event-id': `evt-${i}` } },
      ctx: trace.setSpan(ROOT_CONTEXT, parent),
    })),
    async (messages) => {
      sent = messages;
    },
  );
  const spans = await spansNamed('send order-notifications');
  assert.equal(spans.length, 2);
  for (const [i, span] of spans.entries()) {
    assert.equal(span.kind, SpanKind.PRODUCER);
    assert.equal(span.parentSpanContext?.spanId, parents[i]!.spanContext().spanId);
    assert.equal(sent[i]!.headers?.traceparent, `00-${span.spanContext().traceId}-${span.spanContext().spanId}-01`);
    assert.equal(sent[i]!.headers?.['event-id'], `evt-${i}`, 'the caller’s headers stay');
    assert.deepEqual(span.attributes, {
      'messaging.system.name': 'kafka',
      'messaging.destination.name': 'order-notifications',
      'messaging.operation.name': 'send',
      'messaging.operation.type': 'send',
      'kafka.message.key': `order-${i}`,
      'messaging.batch.message_count': 2,
    });
  }
  for (const parent of parents) parent.end();
});

test('a failed send marks every message’s span failed and rethrows', async () => {
  otel.spans.reset();
  const parent = tracer.startSpan('order.create');
  await assert.rejects(
    sendTraced('order-notifications', [{ message: { key: 'k', value: '{}' }, ctx: trace.setSpan(ROOT_CONTEXT, parent) }], async () => {
      throw new Error('broker down');
    }),
    /broker down/,
  );
  const [span] = await spansNamed('send order-notifications');
  assert.equal(span?.status.code, SpanStatusCode.ERROR);
  assert.equal(span?.attributes['messaging.batch.message_count'], undefined, 'one message is not a batch');
  parent.end();
});

test('a message of an unsampled trace makes no span and carries that trace with flags 00', async () => {
  otel.spans.reset();
  let sent: Message[] = [];
  const capture = async (messages: Message[]) => {
    sent = messages;
  };
  await sendTraced('order-notifications', [{ message: { key: 'k', value: '{}' }, ctx: remote(0) }], capture);
  assert.equal(sent[0]!.headers?.traceparent, `00-${TRACE_ID}-b7ad6b7169203331-00`);
  // Inside an unsampled request (tracing suppressed, its identity kept).
  const identity = { traceId: TRACE_ID, spanId: '00f067aa0ba902b7', traceFlags: 0 };
  await sendTraced('order-notifications', [{ message: { key: 'k', value: '{}' }, ctx: unsampledContext(ROOT_CONTEXT, identity) }], capture);
  assert.equal(sent[0]!.headers?.traceparent, `00-${TRACE_ID}-00f067aa0ba902b7-00`);
  assert.deepEqual(await otel.finishedSpans(), []);
});

test('a message sent outside any trace starts one, and carries it', async () => {
  otel.spans.reset();
  let sent: Message[] = [];
  await sendTraced('order-notifications', [{ message: { key: 'k', value: '{}' }, ctx: ROOT_CONTEXT }], async (messages) => {
    sent = messages;
  });
  const [span] = await spansNamed('send order-notifications');
  assert.equal(span?.parentSpanContext, undefined);
  assert.equal(sent[0]!.headers?.traceparent, `00-${span?.spanContext().traceId}-${span?.spanContext().spanId}-01`);
});

test('a consumed message is handled inside its CONSUMER span, a child of the context its headers carry', async () => {
  otel.spans.reset();
  let active: string | undefined;
  const handler = processTraced(
    async () => {
      active = trace.getActiveSpan()?.spanContext().spanId;
    },
    { groupId: 'notification-service' },
  );
  await handler(payload({ traceparent: Buffer.from(`00-${TRACE_ID}-b7ad6b7169203331-01`) }));
  const [span] = await spansNamed('process order-notifications');
  assert.equal(span?.kind, SpanKind.CONSUMER);
  assert.equal(span?.spanContext().traceId, TRACE_ID);
  assert.equal(span?.parentSpanContext?.spanId, 'b7ad6b7169203331');
  assert.equal(active, span?.spanContext().spanId, 'the handler runs in the span');
  assert.deepEqual(span?.attributes, {
    'messaging.system.name': 'kafka',
    'messaging.destination.name': 'order-notifications',
    'messaging.operation.name': 'process',
    'messaging.operation.type': 'process',
    'messaging.destination.partition.id': '2',
    'kafka.offset': 7,
    'kafka.message.key': 'order-1',
    'messaging.consumer.group.name': 'notification-service',
    'messaging.message.body.size': 7,
  });
});

test('a handler’s error is recorded on the message’s span and rethrown, so the message comes back', async () => {
  otel.spans.reset();
  const handler = processTraced(async () => {
    throw new Error('database down');
  });
  await assert.rejects(handler(payload({ traceparent: Buffer.from(`00-${TRACE_ID}-b7ad6b7169203331-01`) })), /database down/);
  const [span] = await spansNamed('process order-notifications');
  assert.equal(span?.status.code, SpanStatusCode.ERROR);
  assert.equal(span?.events[0]?.name, 'exception');
});

test('a message of an unsampled trace is handled with tracing suppressed, no span, and its trace identity kept', async () => {
  otel.spans.reset();
  let seen: { suppressed: boolean; span: unknown; traceId: string | undefined } | undefined;
  await processTraced(async () => {
    seen = { suppressed: isTracingSuppressed(context.active()), span: trace.getActiveSpan(), traceId: traceIdentity()?.traceId };
  })(payload({ traceparent: Buffer.from(`00-${TRACE_ID}-b7ad6b7169203331-00`) }));
  assert.deepEqual(seen, { suppressed: true, span: undefined, traceId: TRACE_ID });
  assert.deepEqual(await otel.finishedSpans(), []);
});

test('a message without trace headers starts a trace of its own', async () => {
  otel.spans.reset();
  await processTraced(async () => {})(payload({}));
  const [span] = await spansNamed('process order-notifications');
  assert.equal(span?.parentSpanContext, undefined);
});
