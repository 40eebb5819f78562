// The placing of an order as a span of the page's own
// (STOREFRONT_WEB_SPANS.checkout): from the click until the storefront's
// answer is in. The fetch's span cannot say how a checkout ended (a refusal
// and a failure are both answers to it); this one does, so a trace and the
// span metrics tell an order from a "no" from a broken shop. It is the
// click's child and the fetch's parent: the web SDK's context manager is
// synchronous, so the fetch has to start inside startActiveSpan's callback,
// before anything is awaited. No DOM here, so it is tested under Node.
import { SpanStatusCode, type Span, type Tracer } from '@opentelemetry/api';
import { STOREFRONT_WEB_SPANS } from '@shop/contracts/storefront';

/** How a checkout ended for the shopper (the span's `order.outcome`). */
export type CheckoutOutcome = 'created' | 'refused' | 'failed';

/**
 * The storefront's answer read as an outcome. 201 is an order. A refusal is
 * the shop saying no and meaning it, no fault of the shop's: the storefront
 * answers a decline or a lack of stock with 200 and the shopper's message,
 * and its 4xx are a request it will not take (too fast, expired, from
 * elsewhere). A 5xx, anything else, or no answer at all is the shop failing.
 */
export function checkoutOutcome(status: number | undefined): CheckoutOutcome {
  if (status === 201) return 'created';
  if (status !== undefined && ((status >= 200 && status < 300) || (status >= 400 && status < 500))) return 'refused';
  return 'failed';
}

/**
 * Runs `place` inside the checkout span and ends the span when what `place`
 * resolves with (the answer's status, and whatever else the page needs of
 * it) is in, or when it rejects. `place` must start its fetch before it
 * returns. Resolves and rejects as `place` does.
 */
export function traceCheckout<A extends { status: number }>(tracer: Tracer, place: () => Promise<A>): Promise<A> {
  return tracer.startActiveSpan(STOREFRONT_WEB_SPANS.checkout, (span) => {
    let answer: Promise<A>;
    try {
      answer = place();
    } catch (err) {
      answer = Promise.reject(err);
    }
    return answer.then(
      (received) => {
        end(span, received.status);
        return received;
      },
      (err: unknown) => {
        end(span, undefined, err);
        throw err;
      },
    );
  });
}

function end(span: Span, status: number | undefined, err?: unknown): void {
  const outcome = checkoutOutcome(status);
  span.setAttribute('order.outcome', outcome);
  if (status !== undefined) span.setAttribute('http.response.status_code', status);
  if (outcome === 'created') span.setStatus({ code: SpanStatusCode.OK });
  if (outcome === 'failed') {
    // As the HTTP conventions have it: the status code, or what kind of failure left no answer.
    span.setAttribute('error.type', status !== undefined ? String(status) : err instanceof Error ? err.name : '_OTHER');
    span.setStatus({ code: SpanStatusCode.ERROR, message: status !== undefined ? `the storefront answered ${status}` : 'no answer from the storefront' });
  }
  // A refusal stays unset: the shop worked, and the shopper was told why not.
  span.end();
}
