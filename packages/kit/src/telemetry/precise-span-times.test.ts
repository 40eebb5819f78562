import assert from 'node:assert/strict';
import { test } from 'node:test';
import { context, type HrTime, type Tracer } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { InMemorySpanExporter, SimpleSpanProcessor, TracerProvider, type ReadableSpan, type SpanProcessor } from '@opentelemetry/sdk-trace';
import { PreciseSpanTimes } from './precise-span-times.ts';

context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());

function tracing(first: SpanProcessor[]): { tracer: Tracer; spans: () => ReadableSpan[] } {
  const exporter = new InMemorySpanExporter();
  const provider = new TracerProvider({ spanProcessors: [...first, new SimpleSpanProcessor({ exporter })] });
  return { tracer: provider.getTracer('test'), spans: () => exporter.getFinishedSpans() };
}

const spin = (ms: number) => {
  const until = performance.now() + ms;
  while (performance.now() < until);
};

/** Parents with one child each, the child starting a random fraction of a millisecond in and ending just before its parent. */
function nested(tracer: Tracer, pairs: number): void {
  for (let i = 0; i < pairs; i++) {
    tracer.startActiveSpan('parent', (parent) => {
      spin(Math.random() * 1.5);
      tracer.startActiveSpan('child', (child) => {
        spin(Math.random() * 0.5);
        child.addEvent('inside');
        child.end();
      });
      parent.end();
    });
  }
}

// In bigint: nanoseconds since the epoch are beyond a double's exact integers.
const nanos = (time: HrTime) => BigInt(time[0]) * 1_000_000_000n + BigInt(time[1]);
const ns = (span: ReadableSpan) => ({ start: nanos(span.startTime), end: nanos(span.endTime) });
const wholeMs = (spans: ReadableSpan[]) => spans.filter((s) => ns(s).start % 1_000_000n === 0n).length;

function escapes(spans: ReadableSpan[]): string[] {
  const byId = new Map(spans.map((s) => [s.spanContext().spanId, s]));
  return spans.flatMap((s) => {
    const parent = s.parentSpanContext ? byId.get(s.parentSpanContext.spanId) : undefined;
    if (!parent) return [];
    const c = ns(s);
    const p = ns(parent);
    return c.start < p.start || c.end > p.end ? [`child ${c.start - p.start} ns from its parent's start, ${c.end - p.end} ns past its end`] : [];
  });
}

test('span starts carry microseconds, and every child lies within its parent', () => {
  const { tracer, spans } = tracing([new PreciseSpanTimes()]);
  nested(tracer, 200);
  const all = spans();
  assert.equal(all.length, 400);
  assert.ok(wholeMs(all) <= 3, `${wholeMs(all)} of 400 starts on a whole millisecond`);
  assert.deepEqual(escapes(all), []);
  for (const span of all.filter((s) => s.name === 'child')) {
    const event = nanos(span.events[0]!.time);
    assert.ok(event >= ns(span).start && event <= ns(span).end, 'an event lies within its span');
  }
});

test('a child lies within its parent even when the wall clock is stepped between their starts', () => {
  let offset = performance.timeOrigin;
  const stepped = { wallAt: (monotonic: number) => monotonic + offset, now: () => performance.now() + offset };
  const { tracer, spans } = tracing([new PreciseSpanTimes(stepped)]);
  tracer.startActiveSpan('parent', (parent) => {
    offset += 5;
    tracer.startActiveSpan('child', (child) => child.end());
    parent.end();
  });
  assert.deepEqual(escapes(spans()), []);
  tracer.startSpan('root').end();
  const root = spans().find((s) => s.name === 'root')!;
  const parent = spans().find((s) => s.name === 'parent')!;
  assert.ok(ns(root).start - ns(parent).start >= 5_000_000n, 'a root span starts on the stepped clock');
});

test('a start time the caller gives is kept as given', () => {
  const { tracer, spans } = tracing([new PreciseSpanTimes()]);
  const given = Date.now() - 5_000;
  tracer.startSpan('given', { startTime: given }).end();
  assert.equal(nanos(spans()[0]!.startTime), BigInt(given) * 1_000_000n);
});

// Why the processor exists: if a release of the SDK starts spans to the
// microsecond itself, this fails, and PreciseSpanTimes can go.
test('without it, the SDK starts every span on a whole millisecond, and children stick out of their parents', () => {
  const { tracer, spans } = tracing([]);
  nested(tracer, 200);
  const all = spans();
  assert.equal(wholeMs(all), all.length);
  assert.ok(escapes(all).length > 0, 'some child ends after its parent');
});
