import { test } from 'node:test';
import assert from 'node:assert/strict';
import { alignColumns } from './table.ts';

test('columns are as wide as their widest cell, two spaces apart; the last is not padded and no line ends in blanks', () => {
  assert.deepEqual(
    alignColumns([
      ['NAME', 'VALUE', 'WHAT'],
      ['paymentFailure', 'off', 'declines charges'],
      ['x', '1500', ''],
    ]),
    ['NAME            VALUE  WHAT', 'paymentFailure  off    declines charges', 'x               1500'],
  );
});

test('colour codes take no room in the alignment', () => {
  const bold = (s: string) => `\u001b[1m${s}\u001b[22m`;
  const [first, second] = alignColumns([
    [bold('on'), 'a'],
    ['off', 'b'],
  ]);
  assert.equal(first, `${bold('on')}   a`);
  assert.equal(second, 'off  b');
});

test('no rows, no lines', () => {
  assert.deepEqual(alignColumns([]), []);
});
