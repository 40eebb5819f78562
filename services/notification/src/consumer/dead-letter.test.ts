import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { KafkaMessage } from 'kafkajs';
import { deadLetterHeaders } from './dead-letter.ts';

test('dead-letter headers keep the originals, drop the old trace context and add where it came from and why', () => {
  const message = {
    key: Buffer.from('order-1'),
    value: Buffer.from('{}'),
    offset: '42',
    timestamp: '0',
    attributes: 0,
    headers: {
      traceparent: Buffer.from('00-11111111111111111111111111111111-2222222222222222-01'),
      tracestate: Buffer.from('vendor=old'),
      'event-id': Buffer.from('evt-1'),
      'event-type': Buffer.from('order.created'),
    },
  } as KafkaMessage;
  const headers = deadLetterHeaders({ topic: 'order-notifications', partition: 2, message, reason: `invalid_event: ${'x'.repeat(1000)}`, attempts: 0 });
  assert.equal(headers.traceparent, undefined, 'the sender adds the context of the processing that gave up');
  assert.equal(headers.tracestate, undefined, 'the old span’s tracestate does not linger');
  assert.equal(headers['event-id']?.toString(), 'evt-1');
  assert.equal(headers['event-type']?.toString(), 'order.created');
  assert.equal(headers['dlq-attempts'], '0');
  assert.equal(headers['original-topic'], 'order-notifications');
  assert.equal(headers['original-partition'], '2');
  assert.equal(headers['original-offset'], '42');
  assert.equal(String(headers['dlq-reason']).length, 500, 'the reason is bounded');
});
