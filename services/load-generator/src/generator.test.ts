// The generator against a gateway of the test's own (node:http): idle at
// rate 0, orders within about a second of the flag turning on, each a root
// span of its own carrying the flag's evaluation, idle again when it is
// off; a gateway that fails or is gone is counted, never fatal; stop()
// drains and says what it did.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { LOAD_GENERATOR_SPANS } from '@shop/contracts';
import { faultFlagsFrom } from '@shop/kit';
import { installTestTelemetry } from '@shop/kit/test/otel';
import { DEFAULT_ORDER, orderSender } from '@shop/load';
import { createLoadGenerator } from './generator.ts';
import { tracedSend } from './traced-send.ts';

const telemetry = installTestTelemetry();

interface Line {
  msg: string;
  obj: Record<string, unknown>;
}
function testLog() {
  const lines: Line[] = [];
  const at = (obj: Record<string, unknown>, msg?: string) => void lines.push({ obj, msg: msg ?? '' });
  return { lines, log: { info: at, warn: at, error: at } as never };
}

/** A gateway that records each order and answers `status()`. */
async function fakeGateway(status: () => number = () => 201) {
  const orders: { body: Record<string, unknown>; headers: Record<string, unknown> }[] = [];
  const server: Server = createServer((req, res) => {
    let text = '';
    req.on('data', (c: Buffer) => (text += c.toString()));
    req.on('end', () => {
      orders.push({ body: JSON.parse(text) as Record<string, unknown>, headers: req.headers });
      res.writeHead(status(), { 'content-type': 'application/json' }).end('{}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { url, orders, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

/** FaultFlags over a stub OpenFeature client: loadGeneratorRate on at `value`, or off. */
function flagsAt(read: () => number | undefined) {
  return faultFlagsFrom({
    client: {
      getNumberDetails: async (flagKey: string, fallback: number) => {
        const value = read();
        return value === undefined
          ? { flagKey, value: fallback, variant: 'off', reason: 'STATIC', flagMetadata: {} }
          : { flagKey, value, variant: 'on', reason: 'STATIC', flagMetadata: {} };
      },
      getBooleanDetails: async (flagKey: string, fallback: boolean) => ({ flagKey, value: fallback, variant: 'off', reason: 'STATIC', flagMetadata: {} }),
    } as never,
    providerName: 'test',
    log: testLog().log,
  });
}

function generatorFor(gatewayUrl: string, flag: () => number | undefined, configuredRate = 0) {
  const flags = flagsAt(flag);
  const { lines, log } = testLog();
  const send = orderSender({
    gatewayUrl,
    apiKey: 'test-key',
    order: { user_id: 'load-generator', product_id: DEFAULT_ORDER.productId, quantity: DEFAULT_ORDER.quantity },
    userAgent: 'load-generator',
    timeoutMs: 1_000,
  });
  const generator = createLoadGenerator({
    flags,
    configuredRate,
    send: tracedSend(send, flags, DEFAULT_ORDER.productId),
    concurrency: 8,
    log,
    summaryIntervalMs: 1_000,
    rateEveryMs: 100,
    drainMs: 500,
  });
  return { generator, lines };
}

const gateways: Array<{ close(): Promise<void> }> = [];
after(async () => {
  for (const g of gateways) await g.close();
});

test('idle at rate 0; orders within about a second of the flag turning on; idle again once it is off', async () => {
  const gateway = await fakeGateway();
  gateways.push(gateway);
  let flag: number | undefined;
  const { generator, lines } = generatorFor(gateway.url, () => flag);
  await generator.start();
  try {
    await sleep(600);
    assert.equal(gateway.orders.length, 0, 'rate 0 places nothing');

    telemetry.spans.reset();
    flag = 20;
    const on = performance.now();
    while (gateway.orders.length === 0 && performance.now() - on < 2_000) await sleep(20);
    assert.ok(gateway.orders.length > 0, 'an order within 2 s of the flag');
    assert.ok(performance.now() - on < 1_200, `first order after ${Math.round(performance.now() - on)} ms`);
    await sleep(1_000);
    const [order] = gateway.orders;
    assert.deepEqual(order?.body, { user_id: 'load-generator', product_id: 'PROD-123', quantity: 1 });
    assert.equal(order?.headers.authorization, 'Bearer test-key');
    assert.equal(order?.headers['user-agent'], 'load-generator');
    assert.ok(gateway.orders.length >= 15 && gateway.orders.length <= 35, `about 20/s: ${gateway.orders.length}`);
    assert.equal(new Set(gateway.orders.map((o) => o.headers['idempotency-key'])).size, gateway.orders.length, 'every order its own key');

    flag = undefined;
    await sleep(400);
    const placed = gateway.orders.length;
    await sleep(800);
    assert.equal(gateway.orders.length, placed, 'off again: the configured 0');
    assert.equal(generator.status().rate.source, 'configured');
    assert.equal(generator.status().totals.placed, placed);

    const spans = (await telemetry.finishedSpans()).filter((s) => s.name === LOAD_GENERATOR_SPANS.order);
    assert.ok(spans.length >= 15);
    for (const span of spans) {
      assert.equal(span.parentSpanContext, undefined, 'a root span');
      assert.equal(span.attributes['http.response.status_code'], 201);
      assert.equal(span.attributes['product.id'], 'PROD-123');
    }
    assert.equal(new Set(spans.map((s) => s.spanContext().traceId)).size, spans.length, 'one trace per order');
    const event = spans[0]!.events.find((e) => e.name === 'feature_flag.evaluation');
    assert.equal(event?.attributes?.['feature_flag.key'], 'loadGeneratorRate');
    assert.equal(event?.attributes?.['feature_flag.result.value'], 20);
    assert.ok(lines.some((l) => l.msg.startsWith('load rate: 20 orders/s (flag loadGeneratorRate), was 0 orders/s')));
  } finally {
    await generator.stop();
  }
});

test('a configured rate runs with the flag off; a gateway that fails, then is gone, is counted and never stops it', async () => {
  let answer = 503;
  const gateway = await fakeGateway(() => answer);
  const { generator, lines } = generatorFor(gateway.url, () => undefined, 10);
  await generator.start();
  await sleep(700);
  answer = 201;
  await sleep(500);
  await gateway.close();
  await sleep(700);
  const status = generator.status();
  assert.deepEqual(status.rate, { perSecond: 10, source: 'configured' });
  assert.ok((status.totals.byOutcome[503] ?? 0) > 0, JSON.stringify(status.totals));
  assert.ok((status.totals.byOutcome[201] ?? 0) > 0, JSON.stringify(status.totals));
  assert.ok((status.totals.byOutcome['network-error'] ?? 0) > 0, JSON.stringify(status.totals));
  await generator.stop();
  const summaries = lines.filter((l) => l.msg.startsWith('load: 10 orders/s (configured LOAD_GENERATOR_RATE)'));
  assert.ok(summaries.length >= 1, lines.map((l) => l.msg).join('\n'));
  assert.ok(summaries.every((l) => typeof l.obj.sent === 'number' && typeof l.obj.by_outcome === 'object'));
  const sent = generator.status().totals.sent;
  await sleep(300);
  assert.equal(generator.status().totals.sent, sent, 'stopped: nothing more');
});

test('the orders counter counts by outcome', async () => {
  const counted = (await telemetry.collectMetrics()).find((m) => m.descriptor.name === 'load_generator.orders');
  assert.ok(counted, 'load_generator.orders');
  const outcomes = new Set(counted.dataPoints.map((p) => p.attributes.outcome));
  for (const o of ['201', '503', 'network-error']) assert.ok(outcomes.has(o), `${o} in ${[...outcomes]}`);
});
