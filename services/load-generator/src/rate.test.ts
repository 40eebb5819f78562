import { test } from 'node:test';
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { effectiveRate, followRate, type EffectiveRate } from './rate.ts';

test('the flag, while on, is the rate (0 included); off, the configured rate is', () => {
  assert.deepEqual(effectiveRate(undefined, 3), { perSecond: 3, source: 'configured' });
  assert.deepEqual(effectiveRate(2, 3), { perSecond: 2, source: 'flag' });
  assert.deepEqual(effectiveRate(0, 3), { perSecond: 0, source: 'flag' }, 'on at 0 stops a configured rate');
  assert.deepEqual(effectiveRate(undefined, 0), { perSecond: 0, source: 'configured' });
});

test('the follower reads the flag every interval and reports each change once', async () => {
  let flag: number | undefined;
  const changes: [EffectiveRate, EffectiveRate][] = [];
  const follower = followRate({ flags: { number: async () => flag }, configured: 1, everyMs: 20, onChange: (now, before) => changes.push([now, before]) });
  assert.deepEqual(follower.current(), { perSecond: 1, source: 'configured' }, 'the configured rate before the first reading');
  follower.start();
  await sleep(60);
  assert.equal(changes.length, 0);
  flag = 5;
  await sleep(60);
  assert.deepEqual(follower.current(), { perSecond: 5, source: 'flag' });
  flag = undefined;
  await sleep(60);
  await follower.stop();
  assert.deepEqual(changes, [
    [
      { perSecond: 5, source: 'flag' },
      { perSecond: 1, source: 'configured' },
    ],
    [
      { perSecond: 1, source: 'configured' },
      { perSecond: 5, source: 'flag' },
    ],
  ]);
  flag = 9;
  await sleep(60);
  assert.equal(follower.current().perSecond, 1, 'stopped: no more readings');
});

test('the same value from the flag and the configuration are still two sources', async () => {
  let flag: number | undefined = 1;
  const changes: EffectiveRate[] = [];
  const follower = followRate({ flags: { number: async () => flag }, configured: 1, onChange: (now) => changes.push(now) });
  await follower.refresh();
  flag = undefined;
  await follower.refresh();
  assert.deepEqual(
    changes.map((c) => c.source),
    ['flag', 'configured'],
  );
});
