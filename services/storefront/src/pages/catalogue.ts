// The catalogue page: one page of products as cards, and links to the next
// page (the gateway's opaque cursor, passed through) and back to the first.
import type { Product } from '@shop/contracts';
import type { ShopperMessage } from '../shopper-messages.ts';
import { html, money, type Html } from './html.ts';
import { stockBadge, tile } from './product.ts';

export function cataloguePage(page: { products: Product[]; nextCursor: string | null; first: boolean }): Html {
  const cards = page.products.map(
    (p) => html`<li class="card">
  ${tile(p)}
  <h2><a class="card-link" href="/products/${encodeURIComponent(p.product_id)}">${p.name}</a></h2>
  <p class="price">${money(p.price_cents, p.currency)}</p>
  ${stockBadge(p.stock)}
</li>`,
  );
  return html`<h1>Catalogue</h1>
<p class="lede">Pick something, order it, and watch the order travel through the shop: the page it lands on draws its trace.</p>
${page.products.length === 0 ? html`<p class="notice">Nothing here yet.</p>` : html`<ul class="product-grid">${cards}</ul>`}
<nav class="pager" aria-label="Catalogue pages">
  <span>${page.first ? '' : html`<a class="button button-quiet" href="/">First page</a>`}</span>
  <span>${page.nextCursor ? html`<a class="button button-quiet" rel="next" href="/?cursor=${encodeURIComponent(page.nextCursor)}">Next page</a>` : ''}</span>
</nav>`;
}

/** A page that could not be filled: the shopper's message in place of the content. */
export function unavailablePage(heading: string, message: ShopperMessage): Html {
  return html`<h1>${heading}</h1>
<div class="notice" role="alert">
  <h2>${message.title}</h2>
  <p>${message.message}</p>
</div>
<p><a href="/">Back to the catalogue</a></p>`;
}
