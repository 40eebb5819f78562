import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MAX_AMOUNT } from '@shop/contracts';
import { toCents } from './money.ts';

test('amounts with up to two decimals become exact integer cents', () => {
  const cases: [number, number][] = [
    [59.98, 5998],
    [0.01, 1],
    [0.1, 10],
    [0.29, 29], // 0.29 * 100 = 28.999999999999996 in binary floating point
    [0.07, 7], // 7.000000000000001
    [25, 2500],
    [39.98, 3998],
    [1234567.89, 123456789],
    [MAX_AMOUNT - 0.01, MAX_AMOUNT * 100 - 1],
    [MAX_AMOUNT, MAX_AMOUNT * 100],
  ];
  for (const [amount, cents] of cases) assert.equal(toCents(amount), cents, String(amount));
});

test('three or more decimals, zero, negatives, non-finite and oversized amounts are refused', () => {
  for (const amount of [1.001, 59.985, 0.001, 0.004, 0.009, 12.3456, 0, -1, -0.01, Number.NaN, Infinity, MAX_AMOUNT + 0.01, 1e300, 5e-324]) {
    assert.equal(toCents(amount), undefined, String(amount));
  }
});
