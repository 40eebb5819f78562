// What the fault-flag tests share. They run against `make local` as a user
// would: flags set and reset with the real `shopctl flags` (which rewrites
// the flags file and waits until flagd serves it), behaviour seen through
// the gateway and the services' own stores, the flag's key read back from
// the order's trace in Jaeger, and the pids under the local state directory
// compared before and after: nothing restarts for a flag.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DEPLOYABLE_NAMES, type FlagName } from '@shop/contracts';
import { runShopctl } from '@shop/cli/test-support/run-shopctl';
import { waitForTrace, type FlatSpan } from '@shop/kit/test/jaeger';
import { placeOrder, uniqueKey, uniqueUser } from '../e2e/support.ts';

export const ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const STATE_DIR = process.env.SHOP_STATE_DIR ?? join(ROOT, '.local');

/** How long a change may take to reach every service locally (docs/flags.md). */
export const CHANGE_WITHIN_MS = 5_000;

/** `shopctl flags ...`; fails the test unless it exits 0. */
export async function shopctlFlags(...args: string[]): Promise<string> {
  const run = await runShopctl(['flags', ...args], { timeoutMs: 30_000 });
  assert.equal(run.code, 0, `shopctl flags ${args.join(' ')}: ${run.stderr}${run.stdout}`);
  return run.stdout;
}

export const setFlag = (name: FlagName, value: string) => shopctlFlags('set', name, value);
/** Every flag off: each test starts and ends with it, whatever happened in between. */
export const resetFlags = () => shopctlFlags('reset');

/** The pid of each process of `make local` (the services, the storefront, flagd), from the state directory. */
export function localPids(options: { flagd?: boolean } = {}): Record<string, number> {
  const files: Record<string, string> = Object.fromEntries(DEPLOYABLE_NAMES.map((name) => [name, join(STATE_DIR, 'run', `${name}.pid`)]));
  if (options.flagd ?? true) files.flagd = join(STATE_DIR, 'flagd', 'flagd.pid');
  const pids: Record<string, number> = {};
  for (const [name, file] of Object.entries(files)) {
    const pid = Number(readFileSync(file, 'utf8').trim());
    process.kill(pid, 0); // throws when it is not running
    pids[name] = pid;
  }
  return pids;
}

/**
 * Polls `attempt` (each call does one thing: places an order, reads a row)
 * until `changed` holds; fails when that takes longer than `withinMs`.
 * Returns the attempt that showed the change and when, after the start.
 */
export async function untilChanged<T>(
  attempt: () => Promise<T>,
  changed: (value: T) => boolean,
  withinMs = CHANGE_WITHIN_MS,
): Promise<{ value: T; afterMs: number }> {
  const started = Date.now();
  let last: T;
  for (;;) {
    last = await attempt();
    const afterMs = Date.now() - started;
    if (changed(last)) return { value: last, afterMs };
    if (afterMs > withinMs) assert.fail(`no change within ${withinMs} ms; last: ${JSON.stringify(last)}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

/** The spans of `traceId` that carry a feature_flag.evaluation event for `flag`, once Jaeger has (at least `atLeast` of) them. */
export async function spansWithFlag(traceId: string, flag: FlagName, options: { atLeast?: number; timeoutMs?: number } = {}): Promise<FlatSpan[]> {
  const carries = (s: FlatSpan) => s.events.some((e) => e.name === 'feature_flag.evaluation' && e.attributes['feature_flag.key'] === flag);
  const spans = await waitForTrace(traceId, { timeoutMs: options.timeoutMs ?? 20_000, until: (all) => all.filter(carries).length >= (options.atLeast ?? 1) });
  return spans.filter(carries);
}

/** The attributes of the flag's evaluation event on a span. */
export function flagEvent(span: FlatSpan, flag: FlagName): Record<string, unknown> {
  const event = span.events.find((e) => e.name === 'feature_flag.evaluation' && e.attributes['feature_flag.key'] === flag);
  assert.ok(event, `${span.service} ${span.name} has no evaluation of ${flag}`);
  return event.attributes;
}

/** One order of a unit of `productId` through the gateway, and how long its answer took. */
export async function timedOrder(productId: string, traceparent?: string): Promise<{ status: number; ms: number }> {
  const started = performance.now();
  const response = await placeOrder(
    { user_id: uniqueUser(), product_id: productId, quantity: 1 },
    { idempotencyKey: uniqueKey(), headers: traceparent ? { traceparent } : {} },
  );
  return { status: response.status, ms: performance.now() - started };
}

/** One order of a unit of `productId` through the gateway that must be created (201); its id. */
export async function createdOrder(productId: string, traceparent?: string): Promise<string> {
  const response = await placeOrder(
    { user_id: uniqueUser(), product_id: productId, quantity: 1 },
    { idempotencyKey: uniqueKey(), headers: traceparent ? { traceparent } : {} },
  );
  assert.equal(response.status, 201, JSON.stringify(response.body));
  return response.body.order_id;
}
