import { test } from 'node:test';
import assert from 'node:assert/strict';
import { backoffDelay } from './backoff.ts';
import { ChannelError, simulatedChannel } from './channel.ts';
import type { OrderCreatedEvent } from './order-event.ts';

const event = {} as OrderCreatedEvent;

test('the simulated channel fails at the configured rate and takes the configured time', async () => {
  const never = simulatedChannel({ latencyMs: 0, failureRate: 0 });
  for (let i = 0; i < 50; i++) await never.send(event);
  const always = simulatedChannel({ latencyMs: 0, failureRate: 1 });
  for (let i = 0; i < 50; i++) await assert.rejects(always.send(event), ChannelError);
  const half = simulatedChannel({
    latencyMs: 0,
    failureRate: 0.5,
    random: (() => {
      let n = 0;
      return () => (n++ % 2 ? 0.9 : 0.1);
    })(),
  });
  await assert.rejects(half.send(event), ChannelError);
  await half.send(event);
  const slow = simulatedChannel({ latencyMs: 60, failureRate: 0 });
  const started = performance.now();
  await slow.send(event);
  assert.ok(performance.now() - started >= 55);
});

test('backoff doubles from the base up to the cap, with at most half of it random', () => {
  const options = { baseMs: 100, maxMs: 1000 };
  const low = (n: number) => backoffDelay(n, { ...options, random: () => 0 });
  const high = (n: number) => backoffDelay(n, { ...options, random: () => 1 });
  assert.deepEqual([1, 2, 3, 4, 5, 6].map(high), [100, 200, 400, 800, 1000, 1000]);
  assert.deepEqual([1, 2, 3, 4, 5, 6].map(low), [50, 100, 200, 400, 500, 500]);
});
