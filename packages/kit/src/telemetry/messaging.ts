// Kafka's spans, made by the kit in place of the kafkajs instrumentation,
// which builds a span, its attributes and a context for every message,
// recorded or not, and records metric points for each message besides.
// Here a message sent gets a PRODUCER span `send <topic>` whose context
// its headers carry, and a message consumed gets a CONSUMER span
// `process <topic>`, child of that context. The decision was the
// producer's: a message of an unsampled trace is handled with tracing
// suppressed and no span at all, keeping its trace identity for log lines
// and for what it sends on, as an unsampled HTTP request is (http-server.ts).
import { context, trace, SpanKind, type Attributes, type Context, type Span } from '@opentelemetry/api';
import type { EachMessagePayload, IHeaders, Message } from 'kafkajs';
import { extractContext, injectContext, recordError, traceIdentity, unsampledContext } from './context.ts';
import { telemetry } from './sdk.ts';

const tracer = trace.getTracer('@shop/kit/kafka');

/** A message to send, and the trace it continues. */
export interface TracedMessage {
  message: Message;
  ctx: Context;
}

function keyText(key: Message['key']): string | undefined {
  if (typeof key === 'string') return key;
  return Buffer.isBuffer(key) ? key.toString('utf8') : undefined;
}

function tracing(): boolean {
  return telemetry()?.messageSpans !== false;
}

/**
 * Sends `outgoing` in one produce request through `send`, each message in
 * its own trace: a PRODUCER span per message (recorded ones only), child of
 * its `ctx`, and that span's context in its headers. The caller's headers
 * win over the trace headers. On a failure every span records it.
 */
export async function sendTraced(topic: string, outgoing: readonly TracedMessage[], send: (messages: Message[]) => Promise<unknown>): Promise<void> {
  const spans: Span[] = [];
  const messages = outgoing.map(({ message, ctx }) => {
    let carried = ctx;
    if (tracing()) {
      const span = tracer.startSpan(`send ${topic}`, { kind: SpanKind.PRODUCER }, ctx);
      if (span.isRecording()) {
        span.setAttributes(sendAttributes(topic, message, outgoing.length));
        spans.push(span);
      }
      // Unrecorded, the message carries the trace of `ctx` on as it is, with
      // flags 00; outside any trace, the sampler's decision for a new one.
      if (span.isRecording() || !traceIdentity(ctx)) carried = trace.setSpan(ctx, span);
    }
    return { ...message, headers: { ...injectContext(carried), ...message.headers } };
  });
  try {
    await send(messages);
  } catch (err) {
    for (const span of spans) recordError(span, err);
    throw err;
  } finally {
    for (const span of spans) span.end();
  }
}

function sendAttributes(topic: string, message: Message, count: number): Attributes {
  const attributes: Attributes = {
    'messaging.system.name': 'kafka',
    'messaging.destination.name': topic,
    'messaging.operation.name': 'send',
    'messaging.operation.type': 'send',
  };
  const key = keyText(message.key);
  if (key !== undefined) attributes['kafka.message.key'] = key;
  // The conventions ask for the count on batch operations only.
  if (count > 1) attributes['messaging.batch.message_count'] = count;
  return attributes;
}

/** The producer-side context carried in a consumed message's headers. */
export function contextFromHeaders(headers: IHeaders | undefined, base: Context = context.active()): Context {
  return extractContext((headers ?? {}) as Record<string, unknown>, base);
}

export type MessageHandler = (payload: EachMessagePayload) => Promise<void>;

/**
 * `handler` inside the `process <topic>` CONSUMER span of each message, a
 * child of the context its headers carry (a new trace when they carry
 * none); an error it throws is recorded and rethrown (the message is then
 * not committed and comes back).
 */
export function processTraced(handler: MessageHandler, options: { groupId?: string } = {}): MessageHandler {
  return async (payload) => {
    if (!tracing()) return handler(payload);
    const parent = contextFromHeaders(payload.message.headers, context.active());
    const span = tracer.startSpan(`process ${payload.topic}`, { kind: SpanKind.CONSUMER }, parent);
    if (!span.isRecording()) {
      const identity = span.spanContext();
      if (!trace.isSpanContextValid(identity)) return handler(payload);
      // No span in the handler's context, not even the unrecorded one (see context.ts).
      return context.with(unsampledContext(trace.deleteSpan(parent), identity), () => handler(payload));
    }
    span.setAttributes(processAttributes(payload, options.groupId));
    try {
      return await context.with(trace.setSpan(parent, span), () => handler(payload));
    } catch (err) {
      recordError(span, err);
      throw err;
    } finally {
      span.end();
    }
  };
}

function processAttributes({ topic, partition, message }: EachMessagePayload, groupId: string | undefined): Attributes {
  const attributes: Attributes = {
    'messaging.system.name': 'kafka',
    'messaging.destination.name': topic,
    'messaging.operation.name': 'process',
    'messaging.operation.type': 'process',
    'messaging.destination.partition.id': String(partition),
    'kafka.offset': Number(message.offset),
  };
  const key = keyText(message.key);
  if (key !== undefined) attributes['kafka.message.key'] = key;
  if (groupId !== undefined) attributes['messaging.consumer.group.name'] = groupId;
  if (message.value) attributes['messaging.message.body.size'] = message.value.length;
  return attributes;
}
