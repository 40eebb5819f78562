import { test } from 'node:test';
import assert from 'node:assert/strict';
import { hexId, spansFromOtlp } from './otlp-spans.ts';

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

test("OTLP JSON from Jaeger becomes one flat span with service, timing, attributes (without Jaeger's own notes), status and exceptions", () => {
  const [span] = spansFromOtlp(body);
  assert.ok(span);
  assert.equal(span.service, 'payment-service');
  assert.equal(span.spanId, '4bf92f3577b34da6', 'base64 ids become hex');
  assert.equal(span.parentSpanId, '00f067aa0ba902b7');
  assert.equal(span.durationMs, 12.5);
  assert.deepEqual(span.attributes, { 'order.id': 'o-1', 'payment.amount_cents': 2999 });
  assert.deepEqual(span.status, { code: 2, message: 'declined' });
  assert.deepEqual(span.exceptions, ['limit exceeded']);
});

test('an answer without spans is an empty list, and ids are lowercased', () => {
  assert.deepEqual(spansFromOtlp({}), []);
  assert.deepEqual(spansFromOtlp({ result: { resourceSpans: [] } }), []);
  assert.equal(hexId('ABCDEF0123456789'), 'abcdef0123456789');
});
