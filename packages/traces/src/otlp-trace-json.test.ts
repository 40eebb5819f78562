import { test } from 'node:test';
import assert from 'node:assert/strict';
import { hexId, readTraceSpans } from './otlp-trace-json.ts';

const body = {
  result: {
    resourceSpans: [
      {
        resource: { attributes: [{ key: 'service.name', value: { stringValue: 'payment-service' } }] },
        scopeSpans: [
          {
            scope: { name: 'shop' },
            spans: [
              {
                traceId: '4bf92f3577b34da6a3ce929d0e0e4736',
                spanId: 'S/kvNXezTaY=',
                parentSpanId: '00f067aa0ba902b7',
                name: 'payment.process',
                kind: 1,
                startTimeUnixNano: '1700000000000000000',
                endTimeUnixNano: '1700000000012500000',
                attributes: [
                  { key: 'order.id', value: { stringValue: 'o-1' } },
                  { key: 'payment.amount_cents', value: { intValue: '2999' } },
                  { key: '@jaeger@warnings', value: { arrayValue: { values: [{ stringValue: 'parent span ID=00f067aa0ba902b7 is not in the trace' }] } } },
                ],
                status: { code: 2, message: 'declined' },
                events: [{ name: 'exception', attributes: [{ key: 'exception.message', value: { stringValue: 'limit exceeded' } }] }],
              },
            ],
          },
        ],
      },
    ],
  },
};

test("OTLP JSON from Jaeger becomes one flat span with service, scope, timing, attributes (without Jaeger's own notes), status and events", () => {
  const [span] = readTraceSpans(body);
  assert.ok(span);
  assert.equal(span.service, 'payment-service');
  assert.equal(span.spanId, '4bf92f3577b34da6', 'base64 ids become hex');
  assert.equal(span.parentSpanId, '00f067aa0ba902b7');
  assert.equal(span.durationMs, 12.5);
  assert.deepEqual(span.attributes, { 'order.id': 'o-1', 'payment.amount_cents': 2999 });
  assert.deepEqual(span.status, { code: 2, message: 'declined' });
  assert.equal(span.scope, 'shop');
  assert.deepEqual(span.resource, { 'service.name': 'payment-service' });
  assert.deepEqual(span.events, [{ name: 'exception', attributes: { 'exception.message': 'limit exceeded' } }]);
  assert.equal(span.links, 0);
});

test('kinds and status codes written by name read as their numbers; a span without an end ends at its start', () => {
  const [span] = readTraceSpans({
    result: {
      resourceSpans: [
        {
          scopeSpans: [
            {
              spans: [
                {
                  traceId: 'ab',
                  spanId: 'cd',
                  kind: 'SPAN_KIND_PRODUCER',
                  status: { code: 'STATUS_CODE_ERROR' },
                  startTimeUnixNano: '5',
                  links: [{}],
                  attributes: [{ key: 'messaging.batch.message_count', value: { arrayValue: { values: [{ intValue: 1 }, { doubleValue: 0.5 }] } } }],
                },
              ],
            },
          ],
        },
      ],
    },
  });
  assert.ok(span);
  assert.equal(span.service, 'unknown');
  assert.equal(span.kind, 4);
  assert.deepEqual(span.status, { code: 2, message: '' });
  assert.equal(span.endNs, 5n);
  assert.equal(span.links, 1);
  assert.deepEqual(span.attributes, { 'messaging.batch.message_count': [1, 0.5] });
});

test('an answer without spans is an empty list, and ids are lowercased', () => {
  assert.deepEqual(readTraceSpans({}), []);
  assert.deepEqual(readTraceSpans({ result: { resourceSpans: [] } }), []);
  assert.equal(hexId('ABCDEF0123456789'), 'abcdef0123456789');
});
