import assert from 'node:assert/strict';
import { test } from 'node:test';
import { metrics } from '@opentelemetry/api';
import { AggregationTemporality, InMemoryMetricExporter, MeterProvider, PeriodicExportingMetricReader } from '@opentelemetry/sdk-metrics';
import { onFirstUse } from './on-first-use.ts';

test('the value is made on the first call, once, and returned from then on', () => {
  let made = 0;
  const get = onFirstUse(() => ({ n: ++made }));
  assert.equal(made, 0);
  const first = get();
  assert.equal(get(), first);
  assert.equal(made, 1);
});

test('an instrument made on first use records into the provider registered before that use', async () => {
  const counter = onFirstUse(() => metrics.getMeter('on-first-use-test').createCounter('things'));
  const exporter = new InMemoryMetricExporter(AggregationTemporality.CUMULATIVE);
  const reader = new PeriodicExportingMetricReader({ exporter, exportIntervalMillis: 60_000 });
  const provider = new MeterProvider({ readers: [reader] });
  metrics.setGlobalMeterProvider(provider);
  try {
    counter().add(2);
    await reader.forceFlush();
    const values = exporter.getMetrics().flatMap((r) => r.scopeMetrics.flatMap((s) => s.metrics.flatMap((m) => m.dataPoints.map((p) => p.value))));
    assert.deepEqual(values, [2]);
  } finally {
    await provider.shutdown();
    metrics.disable();
  }
});
