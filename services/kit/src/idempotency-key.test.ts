import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Value } from '@sinclair/typebox/value';
import { IdempotencyKey } from './idempotency-key.ts';

test('an idempotency key is 1-128 printable ASCII characters, spaces only inside', () => {
  for (const key of ['a', '6f1c2c1e-3f0b-4c52-9a55-0d6c1a0b7e11', 'order 42 retry', '~!@#$%^&*()', 'k'.repeat(128), `a${' '.repeat(126)}b`]) {
    assert.ok(Value.Check(IdempotencyKey, key), JSON.stringify(key));
  }
  for (const key of ['', ' ', ' a', 'a ', 'k'.repeat(129), 'a\tb', 'a\u0001b', 'a\u007fb', 'café', 'a\nb']) {
    assert.ok(!Value.Check(IdempotencyKey, key), JSON.stringify(key));
  }
});
