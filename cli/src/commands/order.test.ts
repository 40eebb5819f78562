// shopctl order against the running local stack (make local).
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { freePort } from '../test-support/free-port.ts';
import { requireLocalStack, traceSpans, uniqueUser } from '../test-support/local-stack.ts';
import { jsonOf, runShopctl } from '../test-support/run-shopctl.ts';

before(requireLocalStack);

test('order --json creates an order, and the gateway continues the trace the CLI started', async () => {
  const run = await runShopctl(['order', '--json', '--user', uniqueUser(), '--quantity', '2']);
  assert.equal(run.code, 0, run.stdout + run.stderr);
  const json = jsonOf(run);
  assert.equal(json.ok, true);
  assert.equal(json.http_status, 201);
  assert.equal(json.replayed, false);
  assert.match(json.trace_id, /^[0-9a-f]{32}$/);
  assert.equal(json.response.status, 'created');
  assert.equal(json.response.product_id, 'PROD-123');
  assert.equal(json.response.quantity, 2);
  assert.equal(json.response.total_cents, 2 * json.response.unit_price_cents);
  // Each service exports its own spans in its own batches: wait for both sides.
  const spans = await traceSpans(
    json.trace_id,
    (s) => s.some((x) => x.name === 'order.create') && s.some((x) => x.name === 'gateway.createOrder' && x.service === 'gateway'),
  );
  assert.ok(spans.every((s) => s.traceId === json.trace_id));
  assert.ok(spans.some((s) => s.service === 'gateway' && s.name === 'gateway.createOrder'));
  assert.equal(spans.find((s) => s.name === 'order.create')?.attributes['order.id'], json.response.order_id);
  assert.equal(spans.find((s) => s.service === 'gateway' && s.kind === 2)?.attributes['user_agent.original'], 'shopctl/0.1.0', 'CLI traffic is recognisable');
});

test('the human output names the order, what was bought for how much, and the trace id; the API key is never printed', async () => {
  const run = await runShopctl(['order', '--product', 'PROD-456', '--user', uniqueUser()], { env: { SHOP_API_KEY: 'local-dev-key' } });
  assert.equal(run.code, 0, run.stderr);
  const lines = run.stdout.trimEnd().split('\n');
  assert.match(lines[0]!, /^✓ order [0-9a-f-]{36} created in \d/);
  assert.equal(lines[1], '  product      PROD-456 × 1 at 89.99 USD = 89.99 USD');
  assert.match(lines[3]!, /^ {2}payment {6}\S+/);
  assert.match(lines[4]!, /^ {2}trace id {5}[0-9a-f]{32}$/);
  assert.equal(lines[5], `  see it with  shopctl trace ${lines[4]!.slice(-32)}`);
  assert.equal(run.stderr, '');
  assert.doesNotMatch(run.stdout + run.stderr, /local-dev-key/);
});

test('the same --idempotency-key twice is one order: the second answer is the replay of the first', async () => {
  const key = randomUUID();
  const user = uniqueUser();
  const first = jsonOf(await runShopctl(['order', '--json', '--user', user, '--idempotency-key', key]));
  const second = jsonOf(await runShopctl(['order', '--json', '--user', user, '--idempotency-key', key]));
  assert.equal(second.response.order_id, first.response.order_id);
  assert.equal(second.replayed, true);
  assert.equal(first.replayed, false);
});

test('a refused order exits 1 and says why, with the trace id to look at', async () => {
  const run = await runShopctl(['order', '--product', 'PROD-LOW', '--quantity', '1000', '--user', uniqueUser()]);
  assert.equal(run.code, 1);
  const lines = run.stdout.trimEnd().split('\n');
  assert.match(lines[0]!, /^✗ order refused: HTTP 409 insufficient_stock: not enough stock of PROD-LOW for 1000$/);
  assert.match(lines[1]!, /^ {2}trace id {5}[0-9a-f]{32}$/);
});

test("a wrong API key is reported as the gateway's 401, without echoing the key", async () => {
  const run = await runShopctl(['order', '--json'], { env: { SHOP_API_KEY: 'not-a-real-key-7f3a' } });
  assert.equal(run.code, 1);
  const json = jsonOf(run);
  assert.equal(json.http_status, 401);
  assert.doesNotMatch(run.stdout + run.stderr, /not-a-real-key-7f3a/);
});

test('an unreachable gateway is one line on stderr and exit 1', async () => {
  const port = await freePort();
  const run = await runShopctl(['order', '--gateway-url', `http://127.0.0.1:${port}`]);
  assert.equal(run.code, 1);
  assert.equal(run.stdout, '');
  assert.equal(run.stderr, `shopctl order: the gateway at http://127.0.0.1:${port} is unreachable: fetch failed (ECONNREFUSED)\n`);
  // SHOP_GATEWAY_URL is the same knob as an environment variable.
  const viaEnv = await runShopctl(['order'], { env: { SHOP_GATEWAY_URL: `http://127.0.0.1:${port}` } });
  assert.equal(viaEnv.stderr, run.stderr);
});
