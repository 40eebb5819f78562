import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spansFromOtlp } from './otlp-spans.ts';

test("a span's exception events become the messages shopctl shows for an error", () => {
  const [span] = spansFromOtlp({
    result: {
      resourceSpans: [
        {
          resource: { attributes: [{ key: 'service.name', value: { stringValue: 'payment-service' } }] },
          scopeSpans: [
            {
              spans: [
                {
                  traceId: '4bf92f3577b34da6a3ce929d0e0e4736',
                  spanId: '00f067aa0ba902b7',
                  name: 'payment.process',
                  status: { code: 2, message: 'declined' },
                  events: [
                    { name: 'exception', attributes: [{ key: 'exception.message', value: { stringValue: 'limit exceeded' } }] },
                    { name: 'feature_flag.evaluation', attributes: [] },
                    { name: 'exception' },
                  ],
                },
              ],
            },
          ],
        },
      ],
    },
  });
  assert.ok(span);
  assert.equal(span.service, 'payment-service');
  assert.deepEqual(span.exceptions, ['limit exceeded', 'exception']);
});
