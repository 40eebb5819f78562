// OpenTelemetry JS -> OTLP/HTTP -> Jaeger v2 -> query APIs: a span exported
// with a unique service name must come back from both the classic
// /api/traces and the OTLP-shaped /api/v3/traces, with its name,
// attributes, trace id and parent link intact.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SpanKind, SpanStatusCode, context, trace } from '@opentelemetry/api';
import { SimpleSpanProcessor, TracerProvider } from '@opentelemetry/sdk-trace';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { jaegerQueryUrl, otlpEndpoint, pollUntil, uniqueSuffix } from './settings.ts';

type JaegerTag = { key: string; type: string; value: unknown };
type JaegerSpan = {
  traceID: string;
  spanID: string;
  operationName: string;
  processID: string;
  tags: JaegerTag[];
  references: { refType: string; spanID: string }[];
};
type JaegerTrace = { traceID: string; spans: JaegerSpan[]; processes: Record<string, { serviceName: string }> };
type OtlpAttribute = { key: string; value: Record<string, unknown> };
type OtlpSpan = { traceId: string; spanId: string; parentSpanId?: string; name: string; attributes?: OtlpAttribute[] };
type OtlpTraces = { resourceSpans?: { resource?: { attributes?: OtlpAttribute[] }; scopeSpans?: { spans?: OtlpSpan[] }[] }[] };

async function getJson<T>(url: string): Promise<{ status: number; body: T | undefined }> {
  const response = await fetch(url, { signal: AbortSignal.timeout(5_000) });
  const text = await response.text();
  return { status: response.status, body: text ? (JSON.parse(text) as T) : undefined };
}

test("a span exported over OTLP/HTTP is returned by Jaeger's query APIs", { timeout: 40_000 }, async (t) => {
  const serviceName = `it-otlp-${uniqueSuffix()}`;
  const started = new Date(Date.now() - 60_000);
  const exporter = new OTLPTraceExporter({ url: `${otlpEndpoint}/v1/traces` });
  // sdk-trace 3.x: processors go to the provider constructor (no
  // addSpanProcessor) and take an options object ({ exporter }).
  const provider = new TracerProvider({
    resource: resourceFromAttributes({ 'service.name': serviceName, 'service.version': '0.0.0-test' }),
    spanProcessors: [new SimpleSpanProcessor({ exporter })],
  });
  const tracer = provider.getTracer('system-tests');

  const parent = tracer.startSpan('infra.test.parent', {
    kind: SpanKind.SERVER,
    attributes: { 'order.id': 'ord-42', 'test.run': serviceName, 'test.count': 7, 'test.flag': true },
  });
  const child = tracer.startSpan(
    'infra.test.child',
    { kind: SpanKind.CLIENT, attributes: { 'db.system.name': 'postgresql' } },
    trace.setSpan(context.active(), parent),
  );
  child.setStatus({ code: SpanStatusCode.OK });
  child.end();
  parent.end();
  const traceId = parent.spanContext().traceId;
  const parentId = parent.spanContext().spanId;
  try {
    await provider.forceFlush();
  } finally {
    await provider.shutdown();
  }
  t.diagnostic(`exported trace ${traceId} as service ${serviceName} to ${otlpEndpoint}/v1/traces`);

  // Classic API (what the Jaeger UI uses).
  const classic = await pollUntil('trace visible in /api/traces', 15_000, async () => {
    const { body } = await getJson<{ data: JaegerTrace[] | null }>(`${jaegerQueryUrl}/api/traces?service=${encodeURIComponent(serviceName)}&lookback=1h`);
    const found = body?.data?.find((tr) => tr.traceID === traceId);
    return found && found.spans.length >= 2 ? found : undefined;
  });
  const byName = new Map(classic.spans.map((s) => [s.operationName, s]));
  const classicParent = byName.get('infra.test.parent');
  const classicChild = byName.get('infra.test.child');
  assert.ok(classicParent && classicChild, `span names: ${[...byName.keys()].join(', ')}`);
  assert.equal(classicParent.spanID, parentId);
  assert.equal(classic.processes[classicParent.processID]?.serviceName, serviceName);
  const tags = Object.fromEntries(classicParent.tags.map((tag) => [tag.key, tag.value]));
  assert.equal(tags['order.id'], 'ord-42');
  assert.equal(tags['test.count'], 7);
  assert.equal(tags['test.flag'], true);
  assert.equal(tags['span.kind'], 'server');
  assert.deepEqual(
    classicChild.references.map((r) => [r.refType, r.spanID]),
    [['CHILD_OF', parentId]],
  );

  // API v3 (OTLP JSON): same trace by service and time window. Jaeger 2.x
  // answers 500 "search depth must be greater than 0" without num_traces.
  const v3Url =
    `${jaegerQueryUrl}/api/v3/traces?query.service_name=${encodeURIComponent(serviceName)}` +
    '&query.num_traces=20' +
    `&query.start_time_min=${encodeURIComponent(started.toISOString())}` +
    `&query.start_time_max=${encodeURIComponent(new Date(Date.now() + 60_000).toISOString())}`;
  const v3 = await pollUntil('trace visible in /api/v3/traces', 15_000, async () => {
    const { status, body } = await getJson<{ result?: OtlpTraces; error?: { message?: string } }>(v3Url);
    if (status === 404) return undefined; // v3 says 404 while nothing matches yet
    if (status !== 200) throw new Error(`HTTP ${status}: ${body?.error?.message ?? JSON.stringify(body)}`);
    const spans = body?.result?.resourceSpans?.flatMap((rs) => rs.scopeSpans?.flatMap((ss) => ss.spans ?? []) ?? []) ?? [];
    return spans.length >= 2 ? { spans, resourceSpans: body?.result?.resourceSpans ?? [] } : undefined;
  });
  const v3Parent = v3.spans.find((s) => s.name === 'infra.test.parent');
  const v3Child = v3.spans.find((s) => s.name === 'infra.test.child');
  assert.ok(v3Parent && v3Child);
  assert.equal(v3Parent.traceId.toLowerCase(), traceId);
  assert.equal(v3Child.parentSpanId?.toLowerCase(), parentId);
  const v3Attrs = Object.fromEntries((v3Parent.attributes ?? []).map((a) => [a.key, Object.values(a.value)[0]]));
  assert.equal(v3Attrs['order.id'], 'ord-42');
  const resourceService = v3.resourceSpans[0]?.resource?.attributes?.find((a) => a.key === 'service.name')?.value.stringValue;
  assert.equal(resourceService, serviceName);
});
