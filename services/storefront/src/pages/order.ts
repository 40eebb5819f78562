// The order page: the order's state (followed by the page's module until it
// is final) and the order's own trace as a waterfall, both rendered here;
// the state endpoint sends the same two parts as HTML for the page to swap in.
import { SERVICE_NAMES, SERVICES, STOREFRONT, type Order } from '@shop/contracts';
import type { OrderTrace, TraceLookup } from '../order-trace.ts';
import { orderStatusMessage } from '../shopper-messages.ts';
import { html, money, type Html } from './html.ts';

const STEPS = ['Received', 'Stock reserved', 'Paid', 'Confirmed'] as const;

/** How far each state got along the steps. */
function stepsDone(status: Order['status']): number {
  switch (status) {
    case 'created':
      return 4;
    case 'payment_failed':
      return 2;
    default:
      return 1;
  }
}

export function statusPart(order: Order): Html {
  const about = orderStatusMessage(order.status);
  const done = stepsDone(order.status);
  return html`<div class="status-card">
  <h2>${about.title}</h2>
  <p>Status: <span class="badge badge-${order.status}" data-status="${order.status}">${order.status}</span></p>
  <p>${about.message}</p>
  <ol class="steps" aria-label="Progress">
    ${STEPS.map((step, i) => html`<li class="${i < done ? 'done' : ''}">${step}${i < done ? html`<span class="visually-hidden"> (done)</span>` : ''}</li>`)}
  </ol>
</div>`;
}

export interface TraceView {
  /** The trace id the checkout gave, or undefined when it recorded none. */
  traceId: string | undefined;
  lookup: TraceLookup | undefined;
  jaegerUiUrl: string | undefined;
}

/** Whether the trace shows all the order will ever add to it. */
export function traceComplete(order: Order, view: TraceView): boolean {
  if (view.traceId === undefined) return true;
  if (view.lookup?.kind !== 'found') return false;
  if (order.status === 'pending') return false;
  const { spans } = view.lookup.trace;
  // Each process sends its spans in batches of its own, so the last span can
  // arrive before another process's: until every process the order passed
  // has reported, and their spans join into one tree, more are on their way.
  if (spans.filter((s) => s.depth === 0).length > 1) return false;
  const reported = new Set(spans.map((s) => s.service));
  const passed = order.status === 'created' ? SERVICE_NAMES : order.status === 'payment_failed' ? SERVICE_NAMES.filter((s) => s !== 'notification') : [];
  if (!passed.every((s) => reported.has(SERVICES[s].otelName))) return false;
  // A created order's trace ends with the notification sent by the Kafka consumer.
  return order.status !== 'created' || spans.some((s) => s.name === 'notification.send');
}

export function tracePart(view: TraceView): Html {
  if (view.traceId === undefined) {
    return html`<p>This order was placed without a recorded trace (the shop records a sample of its traffic), so there is nothing to draw.</p>`;
  }
  const lookup = view.lookup;
  if (lookup?.kind === 'unavailable') {
    return html`<p>The trace store cannot be reached right now; the trace appears here as soon as it can be read.</p>`;
  }
  if (lookup?.kind !== 'found') {
    return html`<p>Waiting for the trace to arrive<span aria-hidden="true">…</span> Spans are sent in batches, so this takes a second or two.</p>`;
  }
  return html`${waterfall(lookup.trace)}
${view.jaegerUiUrl ? html`<p><a href="${`${view.jaegerUiUrl.replace(/\/$/, '')}/trace/${lookup.trace.traceId}`}">Open this trace in Jaeger</a></p>` : ''}`;
}

/** The services styles.css has a colour for (`.svc-<service.name>`). */
const KNOWN_SERVICES = new Set([STOREFRONT.webOtelName, STOREFRONT.otelName, ...SERVICE_NAMES.map((s) => SERVICES[s].otelName)]);

function ms(value: number): string {
  return value >= 100 ? `${value.toFixed(0)} ms` : `${value.toFixed(1)} ms`;
}

export function waterfall(trace: OrderTrace): Html {
  const total = Math.max(trace.durationMs, 0.001);
  const rows = trace.spans.map((span) => {
    const svc = KNOWN_SERVICES.has(span.service) ? `svc-${span.service}` : 'svc-other';
    const x = Math.min(999, Math.round((span.startMs / total) * 1000));
    const width = Math.max(2, Math.min(1000 - x, Math.round((span.durationMs / total) * 1000)));
    return html`<tr${span.error ? html` class="error"` : ''}>
  <td class="service"><span class="svc ${svc}">${span.service}</span></td>
  <td class="op depth-${String(Math.min(span.depth, 12))}" title="${span.name}">${span.name}</td>
  <td class="num">${ms(span.startMs)}</td>
  <td class="num">${ms(span.durationMs)}</td>
  <td class="timeline"><svg viewBox="0 0 1000 12" preserveAspectRatio="none" aria-hidden="true" focusable="false"><rect class="${svc}" x="${String(x)}" y="1" width="${String(width)}" height="10" rx="2"></rect></svg></td>
</tr>`;
  });
  return html`<p class="trace-meta">Trace <code>${trace.traceId}</code>: ${String(trace.spans.length)} spans from ${String(trace.services.length)} services, ${ms(trace.durationMs)} from first to last.</p>
<div class="table-scroll" tabindex="0" role="region" aria-label="Spans of the trace">
<table class="waterfall">
  <caption class="visually-hidden">Every span of this order's trace, in call order, indented under its parent</caption>
  <thead><tr><th scope="col">Service</th><th scope="col">Operation</th><th scope="col" class="num">Start</th><th scope="col" class="num">Duration</th><th scope="col" class="timeline">Timeline</th></tr></thead>
  <tbody>
${rows}
  </tbody>
</table>
</div>`;
}

/** The order page; `productName` when the catalogue could say it. */
export function orderPage(order: Order, view: TraceView, stateUrl: string, productName?: string): Html {
  const final = orderStatusMessage(order.status).final;
  return html`<div class="order-head">
  <h1>Your order</h1>
  <a href="/products/${encodeURIComponent(order.product_id)}">Order this again</a>
</div>
<div id="order" data-state-url="${stateUrl}" data-status="${order.status}" data-final="${String(final)}" data-trace-complete="${String(traceComplete(order, view))}">
  <section class="panel" aria-labelledby="order-status-heading">
    <h2 id="order-status-heading" class="visually-hidden">Order status</h2>
    <div id="order-status" role="status" aria-live="polite">${statusPart(order)}</div>
  </section>
  <section class="panel" aria-labelledby="summary-heading">
    <h2 id="summary-heading">Summary</h2>
    <dl class="summary">
      <dt>Item</dt><dd><a href="/products/${encodeURIComponent(order.product_id)}">${productName ?? order.product_id}</a></dd>
      <dt>Quantity</dt><dd>${String(order.quantity)}</dd>
      <dt>Unit price</dt><dd>${money(order.unit_price_cents, order.currency)}</dd>
      <dt>Total</dt><dd>${money(order.total_cents, order.currency)}</dd>
      <dt>Order number</dt><dd><code>${order.order_id}</code></dd>
      <dt>Placed</dt><dd><time datetime="${order.created_at}">${new Date(order.created_at).toUTCString()}</time></dd>
    </dl>
  </section>
  <section class="panel" aria-labelledby="trace-heading">
    <h2 id="trace-heading">How your order travelled</h2>
    <p class="lede">One trace, from your click in this page through the storefront, the gateway, the order saga (stock, payment) and Kafka to the notification service.</p>
    <div id="trace-view">${tracePart(view)}</div>
  </section>
</div>`;
}
