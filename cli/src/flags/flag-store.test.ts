import { test } from 'node:test';
import assert from 'node:assert/strict';
import { flagdDocument } from '@shop/contracts';
import { valuesOf } from './flag-store.ts';

test('the values of a flagd document are the flags whose default variant is on; what flagdDocument writes reads back the same', () => {
  assert.deepEqual(valuesOf(flagdDocument()), {});
  const values = { paymentFailure: 0.5, relayPaused: true, inventorySlowdownMs: 0 } as const;
  assert.deepEqual(valuesOf(flagdDocument(values)), values);
});

test('flags the contract does not name, and malformed entries, are ignored', () => {
  const document = flagdDocument({ paymentLatencyMs: 200 });
  (document.flags as Record<string, unknown>).retired = { state: 'ENABLED', variants: { off: 0, on: 1 }, defaultVariant: 'on' };
  (document.flags as Record<string, unknown>).notificationFailure = { state: 'ENABLED', variants: { off: 0 }, defaultVariant: 'on' };
  assert.deepEqual(valuesOf(document), { paymentLatencyMs: 200 });
});
