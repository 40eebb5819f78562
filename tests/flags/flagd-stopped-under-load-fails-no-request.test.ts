// flagd can never take the shop down: stopped under load, no request fails
// because of it, every service stays ready, and the flags keep the values
// they had (the services evaluate in-process, from the last definitions).
// Once flagd is back, a change made then takes effect within 5 s.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { SERVICE_NAMES, localServiceUrl } from '@shop/contracts';
import { closeStores, createProduct, placeOrder, uniqueKey, uniqueUser } from '../e2e/support.ts';
import { CHANGE_WITHIN_MS, ROOT, localPids, resetFlags, setFlag, untilChanged } from './support.ts';

const infra = (...args: string[]) =>
  execFileSync('bash', [join(ROOT, 'scripts/local/infra.sh'), ...args], { stdio: ['ignore', 'ignore', 'inherit'], timeout: 120_000 });

before(resetFlags);
after(async () => {
  infra('up', 'flagd'); // whatever happened, leave flagd running for the next test
  await resetFlags();
  await closeStores();
});

const SLOWDOWN_MS = 1_000;

async function timedOrder(productId: string) {
  const started = performance.now();
  const response = await placeOrder({ user_id: uniqueUser(), product_id: productId, quantity: 1 }, { idempotencyKey: uniqueKey() });
  return { status: response.status, ms: performance.now() - started, at: Date.now(), body: response.body };
}

async function notReady(): Promise<string[]> {
  const answers = await Promise.all(
    SERVICE_NAMES.map(async (name) => {
      const response = await fetch(`${localServiceUrl(name)}/readyz`, { signal: AbortSignal.timeout(3_000) }).catch(() => undefined);
      return response?.status === 200 ? undefined : `${name}: ${response?.status ?? 'no answer'}`;
    }),
  );
  return answers.filter((a): a is string => a !== undefined);
}

test('flagd stopped under load: every order succeeds, readiness stays green, flags keep their values; a change after it is back applies', {
  timeout: 150_000,
}, async () => {
  const pids = localPids({ flagd: false });
  const productId = await createProduct({ priceCents: 100, stock: 1_000_000 });
  // A value in force before flagd goes away, visible in every order's latency.
  await setFlag('inventorySlowdownMs', String(SLOWDOWN_MS));
  await untilChanged(
    () => timedOrder(productId),
    (r) => r.ms >= SLOWDOWN_MS,
  );

  const results: Awaited<ReturnType<typeof timedOrder>>[] = [];
  let loading = true;
  const load = Array.from({ length: 3 }, async () => {
    while (loading) results.push(await timedOrder(productId));
  });
  const readiness: string[] = [];
  await new Promise((resolve) => setTimeout(resolve, 1_500));

  infra('down', 'flagd');
  const downAt = Date.now();
  while (Date.now() - downAt < 6_000) {
    readiness.push(...(await notReady()));
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  infra('up', 'flagd');
  const upAt = Date.now();
  readiness.push(...(await notReady()));

  // A change made once flagd is back reaches the services (they reconnect on their own).
  await resetFlags();
  const quick = await untilChanged(
    async () => {
      await new Promise((resolve) => setTimeout(resolve, 100));
      return results.filter((r) => r.at > Date.now() - 1_000);
    },
    (recent) => recent.length > 0 && recent.every((r) => r.ms < SLOWDOWN_MS * 0.8),
    CHANGE_WITHIN_MS + 2_000,
  );
  loading = false;
  await Promise.all(load);

  const failed = results.filter((r) => r.status !== 201);
  assert.deepEqual(
    failed.map((r) => `${r.status} ${JSON.stringify(r.body)}`),
    [],
    `of ${results.length} orders`,
  );
  assert.ok(results.length >= 20, `only ${results.length} orders under load`);
  assert.deepEqual(readiness, [], 'every service stayed ready');
  const whileDown = results.filter((r) => r.at - r.ms > downAt && r.at < upAt);
  assert.ok(whileDown.length >= 5, `only ${whileDown.length} orders while flagd was down`);
  for (const r of whileDown) assert.ok(r.ms >= SLOWDOWN_MS, `an order while flagd was down took ${Math.round(r.ms)} ms: the flag's value was lost`);
  assert.ok(quick.value.length > 0);
  assert.deepEqual(localPids({ flagd: false }), pids, 'no service restarted');
  assert.notEqual(localPids().flagd, undefined, 'flagd runs again');
});
