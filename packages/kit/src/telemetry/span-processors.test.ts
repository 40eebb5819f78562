import assert from 'node:assert/strict';
import { test } from 'node:test';
import { BatchSpanProcessor, SimpleSpanProcessor } from '@opentelemetry/sdk-trace';
import { PreciseSpanTimes } from './precise-span-times.ts';
import { exportingSpanProcessors, spanProcessors } from './span-processors.ts';

const kinds = (env: Record<string, string>) => spanProcessors(env).map((p) => p.constructor.name);

test('the processors are the ones the SDK builds from OTEL_TRACES_EXPORTER, with precise span times first', async () => {
  assert.deepEqual(kinds({}), [PreciseSpanTimes.name, BatchSpanProcessor.name], 'otlp by default');
  assert.deepEqual(kinds({ OTEL_TRACES_EXPORTER: 'otlp,console' }), [PreciseSpanTimes.name, BatchSpanProcessor.name, SimpleSpanProcessor.name]);
  assert.deepEqual(kinds({ OTEL_TRACES_EXPORTER: 'none' }), [], 'none: no tracing at all');
  assert.deepEqual(kinds({ OTEL_TRACES_EXPORTER: 'zipkin' }), [], 'a name it does not know is ignored');
  for (const protocol of ['grpc', 'http/json', 'http/protobuf']) {
    const [processor] = exportingSpanProcessors({ OTEL_EXPORTER_OTLP_TRACES_PROTOCOL: protocol });
    assert.ok(processor instanceof BatchSpanProcessor, protocol);
    await processor.shutdown();
  }
});
