// The span proxy's checks on their own: a batch as the web SDK writes it
// passes; the shapes and sizes a hostile client might send instead do not,
// nor a resource that claims to be a pod, a host or another process.
// (The route's own answers are checked in routes/span-proxy.test.ts and,
// 413/415/429 against the running system, in main.test.ts.)
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { defaultResource, resourceFromAttributes } from '@opentelemetry/resources';
import { STOREFRONT } from '@shop/contracts';
import { TypeCompiler } from '@sinclair/typebox/compiler';
import { checkSpanBatch, spanBatchSchema, type SpanBatch } from './span-batches.ts';

const MAX = 5;
const schema = TypeCompiler.Compile(spanBatchSchema(MAX));

function span(overrides: Record<string, unknown> = {}) {
  return {
    traceId: '4bf92f3577b34da6a3ce929d0e0e4736',
    spanId: '00f067aa0ba902b7',
    name: 'click',
    kind: 1,
    startTimeUnixNano: '1765000000000000000',
    endTimeUnixNano: '1765000000005000000',
    attributes: [{ key: 'event_type', value: { stringValue: 'click' } }],
    droppedAttributesCount: 0,
    events: [],
    droppedEventsCount: 0,
    status: { code: 0 },
    links: [],
    droppedLinksCount: 0,
    flags: 257,
    ...overrides,
  };
}

function batch(spans: unknown[] = [span()], serviceName: unknown = 'storefront-web') {
  return {
    resourceSpans: [
      {
        resource: { attributes: [{ key: 'service.name', value: { stringValue: serviceName } }], droppedAttributesCount: 0 },
        scopeSpans: [{ scope: { name: '@opentelemetry/instrumentation-user-interaction', version: '0.67.0' }, spans }],
      },
    ],
  };
}

const accepted = (body: unknown) => schema.Check(body) && checkSpanBatch(body as SpanBatch, MAX) === undefined;

test('a batch as the web SDK writes it is accepted', () => {
  assert.ok(schema.Check(batch()), JSON.stringify([...schema.Errors(batch())]));
  assert.equal(checkSpanBatch(batch() as SpanBatch, MAX), undefined);
  assert.ok(accepted(batch([span({ parentSpanId: '1111111111111111', status: { code: 2, message: 'boom' } })])));
  assert.ok(accepted(batch([span({ attributes: [{ key: 'http.response.status_code', value: { intValue: 201 } }] })])));
});

test("another service's name, a missing or doubled one, is refused: the proxy carries only storefront-web", () => {
  assert.ok(!accepted(batch([span()], 'gateway')));
  assert.ok(!accepted(batch([span()], 'storefront')));
  const unnamed = batch();
  unnamed.resourceSpans[0]!.resource.attributes = [];
  assert.ok(!accepted(unnamed));
  const twice = batch();
  twice.resourceSpans[0]!.resource.attributes.push({ key: 'service.name', value: { stringValue: 'gateway' } });
  assert.ok(!accepted(twice));
});

/** The batch with these resource attributes besides its service.name. */
function withResource(attributes: Record<string, string>) {
  const body = batch();
  for (const [key, value] of Object.entries(attributes)) body.resourceSpans[0]!.resource.attributes.push({ key, value: { stringValue: value } });
  return body;
}

test('a resource that claims a pod, a host, a container, a cloud or a process instance is refused: downstream would believe it', () => {
  for (const key of [
    // What the collector's k8s_attributes processor ties a span to a pod by, and what it would label the span with.
    'k8s.pod.uid',
    'k8s.pod.ip',
    'k8s.pod.name',
    'k8s.namespace.name',
    'k8s.deployment.name',
    'k8s.node.name',
    'host.name',
    'host.id',
    'container.id',
    'cloud.region',
    'service.instance.id',
    'process.pid',
    // The k8s processor's old association attribute, and a name nobody thought of.
    'ip',
    'whatever.else',
  ]) {
    const body = withResource({ [key]: 'f3a1c2d4-0000-4000-8000-000000000001' });
    assert.ok(schema.Check(body), key);
    assert.equal(checkSpanBatch(body as SpanBatch, MAX), `a page's resource may not say ${JSON.stringify(key)}`, key);
  }
  // Beside a proper second resource, the claim still sinks the whole batch.
  const mixed = batch();
  mixed.resourceSpans.push({ ...withResource({ 'k8s.pod.uid': 'x' }).resourceSpans[0]! });
  assert.ok(!accepted(mixed));
});

test('what a page can say of itself is accepted: its version, the SDK that wrote the batch, the browser it runs in', () => {
  assert.ok(
    accepted(
      withResource({
        'service.version': '1.2.3',
        'telemetry.sdk.language': 'webjs',
        'telemetry.sdk.name': 'opentelemetry',
        'telemetry.sdk.version': '2.12.0',
        'telemetry.distro.name': 'x',
        'browser.platform': 'Linux',
        'browser.language': 'en-GB',
        'user_agent.original': 'Mozilla/5.0',
      }),
    ),
  );
  // The SDK's default resource, should the pages ever merge it with their own.
  const resource = defaultResource().merge(resourceFromAttributes({ 'service.name': STOREFRONT.webOtelName }));
  const body = batch();
  body.resourceSpans[0]!.resource.attributes = Object.entries(resource.attributes).map(([key, value]) => ({
    key,
    value: { stringValue: String(value) },
  }));
  assert.equal(checkSpanBatch(body as SpanBatch, MAX), undefined);
});

test('more spans than allowed are refused, in one list or across lists', () => {
  assert.ok(!accepted(batch(Array.from({ length: MAX + 1 }, () => span()))));
  const spread = batch(Array.from({ length: 3 }, () => span()));
  spread.resourceSpans[0]!.scopeSpans.push({ scope: { name: 'x', version: '1' }, spans: Array.from({ length: 3 }, () => span()) });
  assert.equal(checkSpanBatch(spread as SpanBatch, MAX), `at most ${MAX} spans per batch, got 6`);
});

test('malformed batches are refused', () => {
  const bad: [string, unknown][] = [
    ['not an object', 'spans'],
    ['no resourceSpans', {}],
    ['empty resourceSpans', { resourceSpans: [] }],
    ['an unknown top-level field', { ...batch(), extra: 1 }],
    ['a trace id of the wrong length', batch([span({ traceId: 'abc' })])],
    ['an upper-case or non-hex trace id', batch([span({ traceId: 'Z'.repeat(32) })])],
    ['a span id of the wrong length', batch([span({ spanId: '00f067aa' })])],
    ['a span without a name', batch([span({ name: '' })])],
    ['a very long name', batch([span({ name: 'x'.repeat(257) })])],
    ['a negative time', batch([span({ startTimeUnixNano: '-1' })])],
    ['a time that is not a number', batch([span({ endTimeUnixNano: 'soon' })])],
    ['an unknown span kind', batch([span({ kind: 9 })])],
    ['an unknown span field', batch([span({ script: '<script>' })])],
    ['a nested attribute value', batch([span({ attributes: [{ key: 'k', value: { kvlistValue: { values: [] } } }] })])],
    ['a huge attribute value', batch([span({ attributes: [{ key: 'k', value: { stringValue: 'x'.repeat(4097) } }] })])],
    ['too many attributes', batch([span({ attributes: Array.from({ length: 129 }, (_, i) => ({ key: `k${i}`, value: { boolValue: true } })) })])],
    ['too many events', batch([span({ events: Array.from({ length: 129 }, () => ({ timeUnixNano: '1', name: 'e' })) })])],
    ['an unknown status code', batch([span({ status: { code: 7 } })])],
  ];
  for (const [name, body] of bad) assert.ok(!accepted(body), name);
});
