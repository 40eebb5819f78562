// The storefront in a real browser against the running system (`make
// local`): Debian's Chromium driven by playwright-core (nothing downloads a
// browser), axe-core run in every page. A shopper opens the catalogue,
// opens a product, orders 2 and sees `created` on the order page; Jaeger
// then holds one trace whose root is the click in the page (storefront-web),
// under it the page's checkout span (OK: created) from which the fetch and
// everything after it descend, and which reaches all five services and
// notification.send. A declined payment shows the decline, its checkout span
// says `refused` and is no error, and the stock is as it was; a double click
// (and a reload of the checkout) orders once. No page logs a console error,
// none has a serious or critical accessibility violation, and each is kept
// as a screenshot under .local/artifacts/storefront/.
import { test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import { SpanStatusCode } from '@opentelemetry/api';
import { SERVICES, SERVICE_NAMES, SPANS, STOREFRONT, STOREFRONT_WEB_SPANS, localStorefrontUrl } from '@shop/contracts';
import { waitForTrace, type FlatSpan } from '@shop/kit/test/jaeger';
import type { Browser } from 'playwright-core';
import { closeStores, eventually, ordersDb, stockOf } from '../e2e/support.ts';
import { accessibilityProblems, artifactsDir, keep as keepIn, launchChromium, orderFromCatalogue, roots, shopper as shopperAt } from './shopper.ts';

const STOREFRONT_URL = process.env.STOREFRONT_URL ?? localStorefrontUrl();
const ARTIFACTS = artifactsDir('storefront');

let browser: Browser;
before(async () => {
  browser = await launchChromium();
});
after(async () => {
  await browser?.close();
  await closeStores();
});

const shopper = () => shopperAt(browser, STOREFRONT_URL);
const keep = (page: Parameters<typeof keepIn>[0], name: string) => keepIn(page, ARTIFACTS, name);

/** Whether `span` has `ancestor` among its parents, in the trace. */
function descendsFrom(spans: FlatSpan[], span: FlatSpan, ancestor: FlatSpan): boolean {
  const byId = new Map(spans.map((s) => [s.spanId, s]));
  let parent = byId.get(span.parentSpanId);
  for (let steps = 0; parent && steps < spans.length; steps++, parent = byId.get(parent.parentSpanId)) {
    if (parent.spanId === ancestor.spanId) return true;
  }
  return false;
}

/** The span's status code; Jaeger's OTLP JSON writes the number, some builds the enum's name. */
function statusOf(span: FlatSpan): 'ok' | 'error' | 'unset' {
  const code: unknown = span.status.code;
  if (code === SpanStatusCode.OK || code === 'STATUS_CODE_OK') return 'ok';
  if (code === SpanStatusCode.ERROR || code === 'STATUS_CODE_ERROR') return 'error';
  return 'unset';
}

/** The page's checkout span in the trace: exactly one. */
function checkoutSpanOf(spans: FlatSpan[]): FlatSpan {
  const found = spans.filter((s) => s.service === STOREFRONT.webOtelName && s.name === STOREFRONT_WEB_SPANS.checkout);
  assert.equal(found.length, 1, `one ${STOREFRONT_WEB_SPANS.checkout} span`);
  return found[0]!;
}

test('catalogue, product, order 2, `created`: one trace from the click in the page to notification.send', { timeout: 120_000 }, async () => {
  const { context, page, problems } = await shopper();
  const a11y: string[] = [];
  try {
    const { orderId, traceId, a11y: onTheWay } = await orderFromCatalogue(page, { id: 'PROD-123', name: 'Wireless Mouse' }, 2, ARTIFACTS);
    a11y.push(...onTheWay);
    const spans = await waitForTrace(traceId, {
      timeoutMs: 30_000,
      until: (s) =>
        s.some((x) => x.name === SPANS.notificationSend) &&
        s.some((x) => x.service === STOREFRONT.webOtelName && x.name === 'click') &&
        s.some((x) => x.service === STOREFRONT.webOtelName && x.name === STOREFRONT_WEB_SPANS.checkout),
    });
    const [root, ...otherRoots] = roots(spans);
    assert.deepEqual(
      otherRoots,
      [],
      `one root: ${roots(spans)
        .map((s) => `${s.service}/${s.name}`)
        .join(', ')}`,
    );
    assert.equal(root?.service, STOREFRONT.webOtelName, "the root is the page's");
    assert.equal(root?.name, 'click');
    const services = new Set(spans.map((s) => s.service));
    for (const name of SERVICE_NAMES) assert.ok(services.has(SERVICES[name].otelName), `${SERVICES[name].otelName} in the trace`);
    assert.ok(services.has(STOREFRONT.otelName));
    const createOrder = spans.find((s) => s.name === SPANS.gatewayCreateOrder && s.attributes['order.id'] === orderId);
    assert.ok(createOrder, `${SPANS.gatewayCreateOrder} of the order`);
    assert.ok(spans.some((s) => s.name === SPANS.notificationSend));
    // The page's own checkout span: the click's child, the answer's outcome, and everything after it beneath it.
    const checkout = checkoutSpanOf(spans);
    assert.equal(checkout.parentSpanId, root.spanId, "the checkout span is the click's child");
    assert.equal(statusOf(checkout), 'ok', 'an order created is OK');
    assert.equal(checkout.attributes['order.outcome'], 'created');
    assert.equal(checkout.attributes['http.response.status_code'], 201);
    assert.ok(descendsFrom(spans, createOrder, checkout), `${SPANS.gatewayCreateOrder} descends from the checkout span`);
    const fetchSpan = spans.find((s) => s.service === STOREFRONT.webOtelName && s.parentSpanId === checkout.spanId && s.kind === 3);
    assert.ok(fetchSpan, "the page's fetch of /checkout, under the checkout span");
    assert.ok(
      spans.some((s) => s.service === STOREFRONT.otelName && s.parentSpanId === fetchSpan.spanId),
      'the storefront continues the fetch',
    );
  } finally {
    await context.close();
  }
  assert.deepEqual(problems, [], 'no console error on any page');
  assert.deepEqual(a11y, [], 'no serious or critical accessibility violation');
});

test('a declined payment (PROD-999) shows the decline in words and leaves the stock as it was', { timeout: 60_000 }, async () => {
  const { context, page, problems } = await shopper();
  const a11y: string[] = [];
  try {
    const before = await stockOf('PROD-999');
    await page.goto('/products/PROD-999');
    await page.getByLabel('Quantity').fill('1');
    const checkoutRequest = page.waitForRequest((r) => r.method() === 'POST' && new URL(r.url()).pathname === '/checkout');
    // Awaited below; should an earlier step fail first, its rejection is not an unhandled one.
    checkoutRequest.catch(() => undefined);
    await page.getByRole('button', { name: 'Place order' }).click();
    const alert = page.getByRole('alert').filter({ hasText: 'Payment declined' });
    await alert.waitFor({ timeout: 20_000 });
    assert.match((await alert.textContent()) ?? '', /declined, so the order was not placed and nothing was charged/);
    assert.doesNotMatch((await page.content()) ?? '', /payment_declined|limit_exceeded|trace_id/, 'no raw error body');
    await keep(page, 'declined');
    a11y.push(...(await accessibilityProblems(page)));
    assert.equal(await stockOf('PROD-999'), before, 'the reserved stock was released');
    const shopperId = (await context.cookies()).find((c) => c.name === 'shopper')?.value;
    const orders = await ordersDb`select status from orders where user_id = ${shopperId!}`;
    assert.deepEqual(
      orders.map((o) => o.status),
      ['payment_failed'],
    );
    // The page stays open, so its batch of spans goes out on its own (about a second).
    const traceId = (await (await checkoutRequest).allHeaders()).traceparent?.split('-')[1];
    assert.match(traceId ?? '', /^[0-9a-f]{32}$/, 'the checkout carried a traceparent');
    const spans = await waitForTrace(traceId!, {
      timeoutMs: 20_000,
      until: (s) => s.some((x) => x.service === STOREFRONT.webOtelName && x.name === STOREFRONT_WEB_SPANS.checkout),
    });
    const checkout = checkoutSpanOf(spans);
    assert.equal(checkout.attributes['order.outcome'], 'refused');
    assert.equal(checkout.attributes['http.response.status_code'], 200, 'a decline is answered with the shopper message');
    assert.equal(statusOf(checkout), 'unset', 'a declined payment is no error of the shop');
  } finally {
    await context.close();
  }
  assert.deepEqual(problems, []);
  assert.deepEqual(a11y, []);
});

test('a double-clicked checkout, and the same checkout again after going back, place one order', { timeout: 60_000 }, async () => {
  const { context, page, problems } = await shopper();
  try {
    await page.goto('/products/PROD-123');
    await page.getByLabel('Quantity').fill('1');
    await page.getByRole('button', { name: 'Place order' }).dblclick();
    await page.waitForURL(/\/orders\//, { timeout: 20_000 });
    const firstOrder = new URL(page.url()).pathname;
    // Back to the checkout page (its URL holds its key), and order again.
    await page.goBack();
    await page.waitForURL(/\/products\/PROD-123\?checkout=/);
    await page.getByRole('button', { name: 'Place order' }).click();
    await page.waitForURL(/\/orders\//, { timeout: 20_000 });
    assert.equal(new URL(page.url()).pathname, firstOrder, 'the same checkout is the same order');
    const shopperId = (await context.cookies()).find((c) => c.name === 'shopper')?.value;
    // Give a second order every chance to appear.
    await new Promise((resolve) => setTimeout(resolve, 1000));
    const orders = await eventually(
      () => ordersDb`select id from orders where user_id = ${shopperId!}`,
      (rows) => rows.length > 0,
    );
    assert.equal(orders.length, 1, 'exactly one order');
  } finally {
    await context.close();
  }
  assert.deepEqual(problems, []);
});
