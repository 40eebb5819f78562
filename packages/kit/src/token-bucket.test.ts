// The token bucket's arithmetic on a clock the test moves: a burst at once,
// then the refill rate; keys apart; memory bounded by forgetting the least
// recently seen key.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { TokenBuckets } from './token-bucket.ts';

function clock() {
  let now = 0;
  return { now: () => now, advance: (ms: number) => (now += ms) };
}

test('a full bucket allows `burst` at once, then refuses with Retry-After until the refill brings a token back', () => {
  const time = clock();
  const buckets = new TokenBuckets({ perSecond: 2, burst: 3 }, time.now);
  const decisions = [1, 2, 3, 4].map(() => buckets.take('a'));
  assert.deepEqual(
    decisions.map((d) => d.allowed),
    [true, true, true, false],
  );
  assert.deepEqual(
    decisions.map((d) => d.remaining),
    [2, 1, 0, 0],
  );
  assert.equal(decisions[3]!.retryAfterSeconds, 1);
  time.advance(499);
  assert.equal(buckets.take('a').allowed, false, 'half a token is not a token');
  time.advance(1);
  assert.equal(buckets.take('a').allowed, true, 'one token after 500 ms at 2/s');
  assert.equal(buckets.take('a').allowed, false);
});

test('a bucket never holds more than burst, however long it rests', () => {
  const time = clock();
  const buckets = new TokenBuckets({ perSecond: 10, burst: 2 }, time.now);
  buckets.take('a');
  time.advance(60_000);
  assert.deepEqual(
    [1, 2, 3].map(() => buckets.take('a').allowed),
    [true, true, false],
  );
});

test('keys have buckets of their own', () => {
  const buckets = new TokenBuckets({ perSecond: 1, burst: 1 }, clock().now);
  assert.equal(buckets.take('a').allowed, true);
  assert.equal(buckets.take('a').allowed, false);
  assert.equal(buckets.take('b').allowed, true);
});

test('past maxKeys the least recently seen key is forgotten, so memory stays bounded', () => {
  const buckets = new TokenBuckets({ perSecond: 1, burst: 1, maxKeys: 3 }, clock().now);
  for (const key of ['a', 'b', 'c']) buckets.take(key);
  buckets.take('a'); // a is now the most recently seen
  buckets.take('d'); // b goes
  assert.equal(buckets.size, 3);
  assert.equal(buckets.take('a').allowed, false, 'a is remembered (and empty)');
  assert.equal(buckets.take('b').allowed, true, 'b was forgotten: a fresh bucket');
});

test('a slow rate says how many seconds until the next token', () => {
  const buckets = new TokenBuckets({ perSecond: 0.25, burst: 1 }, clock().now);
  buckets.take('a');
  assert.equal(buckets.take('a').retryAfterSeconds, 4);
});

test('nonsense limits are refused at construction', () => {
  assert.throws(() => new TokenBuckets({ perSecond: 0, burst: 1 }), RangeError);
  assert.throws(() => new TokenBuckets({ perSecond: 1, burst: 0 }), RangeError);
});
