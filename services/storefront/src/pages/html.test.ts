// What the pages are made of: escaped text everywhere, markup only from the tag.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { html, money } from './html.ts';

test('interpolated text is escaped; Html and arrays of it are not', () => {
  const name = `<img src=x onerror="alert('x')">&`;
  assert.equal(html`<p>${name}</p>`.text, '<p>&lt;img src=x onerror=&quot;alert(&#39;x&#39;)&quot;&gt;&amp;</p>');
  assert.equal(html`<ul>${['a', 'b'].map((x) => html`<li>${x}</li>`)}</ul>`.text, '<ul><li>a</li><li>b</li></ul>');
  assert.equal(html`${undefined}${null}${false}${0}`.text, '0');
});

test('cents read as money', () => {
  assert.equal(money(2999), '$29.99');
  assert.equal(money(250000), '$2,500.00');
});
