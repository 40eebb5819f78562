// The product page: name, price, stock, and the checkout form. The form
// carries the checkout key (the order's Idempotency-Key) the server made
// for this render; the page's module places the order with it.
import type { Product } from '@shop/contracts';
import { MAX_QUANTITY } from '@shop/contracts';
import { html, money, type Html } from './html.ts';

/** A product's picture: its initials on one of six tones, chosen by its id. */
export function tile(product: Product, size: 'card' | 'large' = 'card'): Html {
  const initials = product.name
    .split(/\s+/)
    .filter((word) => /^[A-Za-z0-9]/.test(word))
    .slice(0, 2)
    .map((word) => word[0]!.toUpperCase())
    .join('');
  // FNV-1a: ids that differ in one character still land on different tones.
  let hash = 0x811c9dc5;
  for (const c of product.product_id) hash = Math.imul(hash ^ c.charCodeAt(0), 0x01000193) >>> 0;
  return html`<div class="tile tone-${String(hash % 6)}${size === 'large' ? ' tile-large' : ''}" aria-hidden="true">${initials}</div>`;
}

/** Stock as a badge; `count` says how many (the product page), else just whether (the catalogue). */
export function stockBadge(stock: number, count = false): Html {
  if (stock <= 0) return html`<p class="stock stock-none">Out of stock</p>`;
  if (stock <= 10) return html`<p class="stock stock-low">Only ${String(stock)} left</p>`;
  return html`<p class="stock stock-ok">${count ? `${stock.toLocaleString('en-US')} in stock` : 'In stock'}</p>`;
}

export function productPage(product: Product, checkoutKey: string): Html {
  const max = Math.max(1, Math.min(product.stock, MAX_QUANTITY));
  const soldOut = product.stock <= 0;
  return html`<nav aria-label="Breadcrumb">
  <ol class="breadcrumb">
    <li><a href="/">Catalogue</a></li>
    <li aria-current="page">${product.name}</li>
  </ol>
</nav>
<article class="product" aria-labelledby="product-name">
  ${tile(product, 'large')}
  <div>
    <h1 id="product-name">${product.name}</h1>
    <p class="sku">Item ${product.product_id}</p>
    <p class="price">${money(product.price_cents, product.currency)}</p>
    ${stockBadge(product.stock, true)}
    <form id="checkout" class="checkout" data-product-id="${product.product_id}" data-checkout-key="${checkoutKey}" action="/checkout" method="post" aria-describedby="checkout-note">
      <label for="quantity">Quantity</label>
      <input id="quantity" name="quantity" type="number" inputmode="numeric" min="1" max="${String(max)}" step="1" value="1" required aria-describedby="quantity-help"${soldOut ? html` disabled` : ''}>
      <p id="quantity-help" class="help">From 1 to ${String(max)}.</p>
      <button type="submit"${soldOut ? html` disabled` : ''}>${soldOut ? 'Out of stock' : 'Place order'}</button>
      <p id="checkout-status" class="status-line" role="status" aria-live="polite"></p>
      <div id="checkout-alert" class="alert" role="alert" hidden></div>
      <p id="checkout-note" class="help">Pressing twice, or reloading this page, never orders twice.</p>
      <noscript><p class="alert">Placing an order needs JavaScript.</p></noscript>
    </form>
  </div>
</article>`;
}
