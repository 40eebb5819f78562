import assert from 'node:assert/strict';
import { test } from 'node:test';
import { AggregationTemporality, InMemoryMetricExporter, MeterProvider, PeriodicExportingMetricReader } from '@opentelemetry/sdk-metrics';
import { InMemorySpanExporter, SimpleSpanProcessor, TracerProvider } from '@opentelemetry/sdk-trace';
import { CURRENT_CONVENTION_VIEWS, CurrentConventions } from './current-conventions.ts';

test('deprecated Kafka attributes an instrumentation sets reach the exporter under their current names', () => {
  const exporter = new InMemorySpanExporter();
  const provider = new TracerProvider({ spanProcessors: [new CurrentConventions(), new SimpleSpanProcessor({ exporter })] });
  const span = provider.getTracer('kafkajs').startSpan('process order-notifications', {
    attributes: { 'messaging.system': 'kafka', 'messaging.kafka.message.key': 'order-1', 'messaging.kafka.offset': '42' },
  });
  span.setAttribute('messaging.kafka.cluster.id', 'abc');
  span.end();
  assert.deepEqual(exporter.getFinishedSpans()[0]?.attributes, {
    'messaging.system.name': 'kafka',
    'kafka.message.key': 'order-1',
    'kafka.offset': '42',
    'kafka.cluster.id': 'abc',
  });
});

test("the kafkajs instrumentation's metrics lose the deprecated messaging.system; other meters keep what they record", async () => {
  const reader = new PeriodicExportingMetricReader({
    exporter: new InMemoryMetricExporter(AggregationTemporality.CUMULATIVE),
    exportIntervalMillis: 3_600_000,
  });
  const provider = new MeterProvider({ readers: [reader], views: CURRENT_CONVENTION_VIEWS });
  const attributes = { 'messaging.system': 'kafka', 'messaging.destination.name': 'order-notifications' };
  provider.getMeter('@opentelemetry/instrumentation-kafkajs').createCounter('messaging.client.sent.messages').add(1, attributes);
  provider.getMeter('@shop/other').createCounter('other').add(1, attributes);
  const { resourceMetrics } = await reader.collect();
  const points = Object.fromEntries(resourceMetrics.scopeMetrics.flatMap((s) => s.metrics).map((m) => [m.descriptor.name, m.dataPoints[0]?.attributes]));
  assert.deepEqual(points, {
    'messaging.client.sent.messages': { 'messaging.destination.name': 'order-notifications' },
    other: attributes,
  });
  await provider.shutdown();
});
