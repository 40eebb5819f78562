import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatDuration, formatMs, parseDuration } from './duration.ts';

test('durations parse with ms, s, m, h units or as bare seconds', () => {
  assert.equal(parseDuration('500ms', '--x'), 500);
  assert.equal(parseDuration('30s', '--x'), 30_000);
  assert.equal(parseDuration('1.5', '--x'), 1500);
  assert.equal(parseDuration('2m', '--x'), 120_000);
  assert.equal(parseDuration('1h', '--x'), 3_600_000);
});

test('a bad or zero duration is a usage error naming the flag', () => {
  assert.throws(() => parseDuration('soon', '--duration'), {
    message: '--duration must be a duration like 30s, 2m or 500ms, got "soon"',
    exitCode: 2,
  } as object);
  assert.throws(() => parseDuration('0s', '--timeout'), /--timeout must be greater than zero/);
});

test('durations print the way people read them', () => {
  assert.equal(formatMs(0.5), '0.50 ms');
  assert.equal(formatMs(123.45), '123.5 ms');
  assert.equal(formatMs(1500), '1.50 s');
  assert.equal(formatMs(16_400), '16.4 s');
  assert.equal(formatDuration(86_400_000), '24h');
  assert.equal(formatDuration(15_000), '15s');
  assert.equal(formatDuration(1500), '1.5s');
});
