// shopctl smoke against the running local stack (make local).
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { EXPECTED_SERVICES } from '../smoke/order-trace-check.ts';
import { freePort } from '../test-support/free-port.ts';
import { requireLocalStack } from '../test-support/local-stack.ts';
import { jsonOf, runShopctl } from '../test-support/run-shopctl.ts';

before(requireLocalStack);

test('smoke --json: every order made one connected trace across all five services with the contract spans, exit 0', async () => {
  const run = await runShopctl(['smoke', '--orders', '2', '--json']);
  assert.equal(run.code, 0, run.stdout + run.stderr);
  const json = jsonOf(run);
  assert.equal(json.ok, true);
  assert.equal(json.passed, 2);
  assert.equal(json.failed, 0);
  assert.equal(json.orders.length, 2);
  for (const order of json.orders) {
    assert.deepEqual(order.problems, []);
    assert.equal(order.http_status, 201);
    assert.deepEqual([...order.services].sort(), [...EXPECTED_SERVICES].sort());
    assert.ok(order.span_count >= 11);
  }
  assert.notEqual(json.orders[0].trace_id, json.orders[1].trace_id);
});

test('the human report has one line per order and the verdict', async () => {
  const run = await runShopctl(['smoke', '--orders', '1']);
  assert.equal(run.code, 0, run.stdout + run.stderr);
  const lines = run.stdout.trimEnd().split('\n');
  assert.equal(lines[0], 'smoke: 1 order through http://127.0.0.1:8080, traces from http://127.0.0.1:16686');
  assert.match(lines[1]!, /^✓ order [0-9a-f]{8}… {2}trace [0-9a-f]{32} {2}5 services · \d+ spans · [\d.]+ m?s$/);
  assert.equal(lines[2], 'smoke passed: 1/1 orders each made one connected trace across 5 services with all 11 contract spans');
});

test("an order that is not created fails the smoke with the gateway's reason, exit 1", async () => {
  // PROD-999 costs more than the payment card limit: payment declines it.
  const run = await runShopctl(['smoke', '--orders', '1', '--product', 'PROD-999']);
  assert.equal(run.code, 1);
  const lines = run.stdout.trimEnd().split('\n');
  assert.match(lines[1]!, /^✗ order [0-9a-f]{8}… {2}trace [0-9a-f]{32}$/);
  assert.match(lines[2]!, /^ {4}order not created: HTTP 402 payment_declined/);
  assert.equal(lines.at(-1), 'smoke FAILED: 1 of 1 orders not created or not fully traced (details above)');
});

test('a Jaeger that cannot be reached is one line, exit 1', async () => {
  const port = await freePort();
  const run = await runShopctl(['smoke', '--orders', '1', '--json', '--jaeger-url', `http://127.0.0.1:${port}`]);
  assert.equal(run.code, 1);
  assert.equal(run.stderr, `shopctl smoke: Jaeger at http://127.0.0.1:${port} is unreachable: fetch failed (ECONNREFUSED)\n`);
});
