// The product page's checkout. The server rendered one checkout key (the
// order's Idempotency-Key) into the form; it is kept in the page's URL, so
// a reload sends it again, and every click of this checkout sends it: a
// double click or a retry after a failure can never place a second order.
// The fetch is made inside the click and inside the checkout span the click
// starts (checkout-span.ts), so the request carries `traceparent` and the
// order's trace starts here: click, checkout, fetch, then the storefront.
import { traceCheckout } from './checkout-span.ts';
import { startTelemetry } from './telemetry.ts';

const telemetry = startTelemetry();

interface CheckoutAnswer {
  order_url?: string;
  title?: string;
  message?: string;
  /** After a definite refusal: the key for the next try (that checkout placed nothing). */
  next_checkout_key?: string;
}

const form = document.querySelector<HTMLFormElement>('form#checkout');
const button = form?.querySelector<HTMLButtonElement>('button[type="submit"]');
const quantity = form?.querySelector<HTMLInputElement>('input[name="quantity"]');
const status = document.querySelector<HTMLElement>('#checkout-status');
const alert = document.querySelector<HTMLElement>('#checkout-alert');

if (form && button && quantity && status && alert) {
  let key = form.dataset.checkoutKey ?? '';
  const productId = form.dataset.productId ?? '';
  let placing = false;
  const remember = () => {
    const url = new URL(window.location.href);
    url.searchParams.set('checkout', key);
    history.replaceState(null, '', url);
  };
  remember();

  const showAlert = (title: string, message: string) => {
    alert.replaceChildren();
    const heading = document.createElement('strong');
    heading.textContent = title;
    const text = document.createElement('p');
    text.textContent = message;
    alert.append(heading, text);
    alert.hidden = false;
  };

  const settle = async (answer: Promise<{ status: number; body: CheckoutAnswer }>) => {
    let leaving = false;
    try {
      const { status: code, body } = await answer;
      if (code === 201 && body.order_url) {
        leaving = true;
        status.textContent = 'Order placed. Opening your order…';
        // The checkout span has ended with the answer; the fetch's ends a
        // moment after it: let it, then send the click's spans before the
        // page goes.
        await new Promise((resolve) => setTimeout(resolve, 350));
        await telemetry.flush();
        window.location.assign(body.order_url);
        return;
      }
      status.textContent = '';
      showAlert(body.title ?? 'Your order was not placed', body.message ?? 'Something went wrong. Please try again in a minute.');
      if (body.next_checkout_key) {
        key = body.next_checkout_key;
        remember();
      }
    } catch {
      status.textContent = '';
      showAlert(
        'No connection',
        'Your browser could not reach the shop. Check your connection, then press Place order again: this checkout never orders twice.',
      );
    } finally {
      if (!leaving) {
        placing = false;
        button.disabled = false;
        button.removeAttribute('aria-busy');
      }
    }
  };

  button.addEventListener('click', (event) => {
    event.preventDefault();
    if (placing || !form.reportValidity()) return;
    placing = true;
    button.disabled = true;
    button.setAttribute('aria-busy', 'true');
    alert.hidden = true;
    status.textContent = 'Placing your order…';
    // The answer is in when its body is: the checkout span ends there.
    const answer = traceCheckout(telemetry.tracer, () =>
      fetch('/checkout', {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/json' },
        body: JSON.stringify({ product_id: productId, quantity: Number(quantity.value), checkout_key: key }),
      }).then(async (response) => ({ status: response.status, body: (await response.json().catch(() => ({}))) as CheckoutAnswer })),
    );
    void settle(answer);
  });
}
