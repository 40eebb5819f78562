import { test } from 'node:test';
import assert from 'node:assert/strict';
import { INSTRUMENTATION_NAMES, UPSTREAM_INSTRUMENTATION_NAMES, buildInstrumentations, exportsLogs } from './sdk.ts';

const names = (list: { instrumentationName: string }[]) => list.map((i) => i.instrumentationName);

test('every instrumentation is on when logs are exported, one Fastify instrumentation at a time', () => {
  const otel = names(buildInstrumentations('fastify-otel', { logs: true }));
  assert.equal(otel.length, UPSTREAM_INSTRUMENTATION_NAMES.length);
  assert.ok(!otel.includes('@opentelemetry/instrumentation-kafkajs'), 'Kafka is traced by the kit itself');
  assert.ok(otel.includes('@fastify/otel'));
  assert.ok(!otel.includes('@opentelemetry/instrumentation-fastify'));
  const upstream = names(buildInstrumentations('instrumentation-fastify'));
  assert.ok(upstream.includes('@opentelemetry/instrumentation-fastify'));
  assert.ok(!upstream.includes('@fastify/otel'));
});

test('OTEL_NODE_DISABLED_INSTRUMENTATIONS names (http, pino, fastify, ...) leave those out and nothing else', () => {
  const kept = names(buildInstrumentations('fastify-otel', { logs: true, disabled: new Set(['pino', 'fastify', 'not-a-name']) }));
  assert.equal(kept.length, UPSTREAM_INSTRUMENTATION_NAMES.length - 2);
  assert.ok(!kept.includes('@opentelemetry/instrumentation-pino'));
  assert.ok(!kept.includes('@fastify/otel'));
  assert.ok(kept.includes('@opentelemetry/instrumentation-http'));
  assert.deepEqual(names(buildInstrumentations('fastify-otel', { logs: true, disabled: new Set(INSTRUMENTATION_NAMES) })), []);
});

test('log lines are exported over OTLP only when OTEL_LOGS_EXPORTER names an exporter; the pino bridge only then', () => {
  assert.equal(exportsLogs({}), false);
  assert.equal(exportsLogs({ OTEL_LOGS_EXPORTER: 'none' }), false);
  assert.equal(exportsLogs({ OTEL_LOGS_EXPORTER: ' ' }), false);
  assert.equal(exportsLogs({ OTEL_LOGS_EXPORTER: 'otlp' }), true);
  assert.equal(exportsLogs({ OTEL_LOGS_EXPORTER: 'otlp,none' }), false);
  const withoutLogs = names(buildInstrumentations('fastify-otel'));
  assert.equal(withoutLogs.length, UPSTREAM_INSTRUMENTATION_NAMES.length - 1);
  assert.ok(!withoutLogs.includes('@opentelemetry/instrumentation-pino'));
});
