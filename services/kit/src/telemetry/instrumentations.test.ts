import { test } from 'node:test';
import assert from 'node:assert/strict';
import { INSTRUMENTATION_NAMES, buildInstrumentations } from './sdk.ts';

const names = (list: { instrumentationName: string }[]) => list.map((i) => i.instrumentationName);

test('every instrumentation is on by default, one Fastify instrumentation at a time', () => {
  const otel = names(buildInstrumentations('fastify-otel'));
  assert.equal(otel.length, INSTRUMENTATION_NAMES.length);
  assert.ok(otel.includes('@fastify/otel'));
  assert.ok(!otel.includes('@opentelemetry/instrumentation-fastify'));
  const upstream = names(buildInstrumentations('instrumentation-fastify'));
  assert.ok(upstream.includes('@opentelemetry/instrumentation-fastify'));
  assert.ok(!upstream.includes('@fastify/otel'));
});

test('OTEL_NODE_DISABLED_INSTRUMENTATIONS names (http, pino, fastify, ...) leave those out and nothing else', () => {
  const kept = names(buildInstrumentations('fastify-otel', new Set(['pino', 'fastify', 'not-a-name'])));
  assert.equal(kept.length, INSTRUMENTATION_NAMES.length - 2);
  assert.ok(!kept.includes('@opentelemetry/instrumentation-pino'));
  assert.ok(!kept.includes('@fastify/otel'));
  assert.ok(kept.includes('@opentelemetry/instrumentation-http'));
  assert.deepEqual(names(buildInstrumentations('fastify-otel', new Set(INSTRUMENTATION_NAMES))), []);
});
