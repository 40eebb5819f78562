// shopctl trace against the running local stack (make local) and its Jaeger.
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes, randomUUID } from 'node:crypto';
import { EXPECTED_SERVICES, EXPECTED_SPANS, hasExpectedSpans } from '../smoke/order-trace-check.ts';
import { requireLocalStack, traceSpans, uniqueUser } from '../test-support/local-stack.ts';
import { jsonOf, runShopctl } from '../test-support/run-shopctl.ts';

let created: { traceId: string; orderId: string };

before(async () => {
  await requireLocalStack();
  const json = jsonOf(await runShopctl(['order', '--json', '--user', uniqueUser()]));
  assert.equal(json.http_status, 201, JSON.stringify(json));
  created = { traceId: json.trace_id, orderId: json.response.order_id };
  // The Kafka leg arrives later: wait once here so each test sees the whole trace.
  await traceSpans(created.traceId, (spans) => hasExpectedSpans(spans));
});

test('trace <trace-id> renders the span tree across all five services with the contract spans', async () => {
  const run = await runShopctl(['trace', created.traceId]);
  assert.equal(run.code, 0, run.stderr);
  const lines = run.stdout.trimEnd().split('\n');
  assert.match(lines[0]!, new RegExp(`^trace ${created.traceId}  5 services · \\d+ spans · [\\d.]+ m?s · no errors$`));
  assert.match(lines[2]!, /^ {2}SERVICE +SPAN +START +DURATION +TIMELINE$/);
  assert.match(lines[3]!, /^ {2}gateway +POST \/api\/orders +0\.00 ms +[\d.]+ m?s +█+$/, "the root: the gateway's server span");
  for (const service of EXPECTED_SERVICES)
    assert.ok(
      lines.some((l) => l.startsWith(`  ${service} `)),
      service,
    );
  for (const name of EXPECTED_SPANS) assert.match(run.stdout, new RegExp(`[─ ]${name.replace('.', '\\.')} `), name);
  assert.match(run.stdout, /order-service +│? *(│ +)*└─ order\.sendNotification|order\.sendNotification/);
});

test("trace <order-id> finds the same trace through Jaeger's search on order.id", async () => {
  const run = await runShopctl(['trace', created.orderId]);
  assert.equal(run.code, 0, run.stderr);
  assert.match(run.stdout, new RegExp(`^trace ${created.traceId} `));
});

test('--json lists every span in tree order with depth, service, name and timing', async () => {
  const json = jsonOf(await runShopctl(['trace', created.traceId, '--json']));
  assert.equal(json.trace_id, created.traceId);
  assert.deepEqual([...json.services].sort(), [...EXPECTED_SERVICES].sort());
  assert.equal(json.spans.length, json.span_count);
  assert.equal(json.spans[0].depth, 0);
  assert.equal(json.spans[0].start_offset_ms, 0);
  const create = json.spans.find((s: { name: string }) => s.name === 'order.create');
  assert.equal(create.attributes['order.id'], created.orderId);
  assert.equal(create.status, 'unset');
});

test('the error spans of a refused order are marked ✗ with their message', async () => {
  const refused = jsonOf(await runShopctl(['order', '--json', '--product', 'PROD-LOW', '--quantity', '1000', '--user', uniqueUser()]));
  assert.equal(refused.http_status, 409);
  const run = await runShopctl(['trace', refused.trace_id]);
  assert.equal(run.code, 0, run.stderr);
  assert.match(run.stdout.split('\n')[0]!, /· \d+ errors?$/);
  assert.match(run.stdout, /^✗ order-service .*order\.create/m);
  assert.match(run.stdout, /^ +error: not enough stock of PROD-LOW for 1000$/m);
  assert.match(run.stdout, /POST \/api\/orders \(409\)/);
});

test('a trace Jaeger does not have is one line and exit 1 after the deadline', async () => {
  const traceId = randomBytes(16).toString('hex');
  const run = await runShopctl(['trace', traceId, '--timeout', '1s']);
  assert.equal(run.code, 1);
  assert.equal(run.stdout, '');
  assert.equal(
    run.stderr,
    `shopctl trace: trace ${traceId} is not in Jaeger at http://127.0.0.1:16686 after 1s (not exported yet, sampled out, or expired; try again or raise --timeout)\n`,
  );
  assert.ok(run.durationMs < 10_000);
});

test('an order id Jaeger has no trace for is one line and exit 1', async () => {
  const orderId = randomUUID();
  const run = await runShopctl(['trace', orderId, '--timeout', '1s']);
  assert.equal(run.code, 1);
  assert.equal(
    run.stderr,
    `shopctl trace: no trace with order.id=${orderId} on order-service in Jaeger at http://127.0.0.1:16686 (searched the last 24h, waited 1s)\n`,
  );
});
