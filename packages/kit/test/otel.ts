// In-process telemetry for tests: spans and metrics land in memory where a
// test can read them.
import { context, metrics, propagation, trace } from '@opentelemetry/api';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { InMemorySpanExporter, SimpleSpanProcessor, TracerProvider } from '@opentelemetry/sdk-trace';
import { PreciseSpanTimes } from '../src/telemetry/precise-span-times.ts';
import { AggregationTemporality, InMemoryMetricExporter, MeterProvider, PeriodicExportingMetricReader } from '@opentelemetry/sdk-metrics';

export function installTestTelemetry() {
  const spans = new InMemorySpanExporter();
  // Spans as the services make them: times to the microsecond.
  const tracerProvider = new TracerProvider({
    spanProcessors: [new PreciseSpanTimes(), new SimpleSpanProcessor({ exporter: spans })],
  });
  trace.setGlobalTracerProvider(tracerProvider);
  context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
  propagation.setGlobalPropagator(new W3CTraceContextPropagator());
  const reader = new PeriodicExportingMetricReader({
    exporter: new InMemoryMetricExporter(AggregationTemporality.CUMULATIVE),
    exportIntervalMillis: 3_600_000,
  });
  metrics.setGlobalMeterProvider(new MeterProvider({ readers: [reader] }));
  return {
    spans,
    /** Ended spans; the processor exports asynchronously, so flush first. */
    async finishedSpans() {
      await tracerProvider.forceFlush();
      return spans.getFinishedSpans();
    },
    /** Current values of every instrument. */
    async collectMetrics() {
      const { resourceMetrics } = await reader.collect();
      return resourceMetrics.scopeMetrics.flatMap((scope) => scope.metrics);
    },
  };
}
