// Every attribute one real order's trace carries (its resources, spans and
// span events, read back from Jaeger) is a current semantic convention or
// listed in the contract's ATTRIBUTES (docs/telemetry.md#attributes).
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { ATTRIBUTES } from '@shop/contracts';
import { semanticConventions } from '@shop/kit/test/semantic-conventions';
import { closeStores, placeTracedOrder, waitForOrderTrace } from './support.ts';

after(closeStores);

test("every attribute of an order's trace is a current convention or the contract's own", async () => {
  const { response, traceId } = await placeTracedOrder({ priceCents: 1500, stock: 5, quantity: 1 });
  assert.equal(response.status, 201, JSON.stringify(response.body));
  const spans = await waitForOrderTrace(traceId);

  // Each attribute once, with the first place it was seen.
  const seen = new Map<string, string>();
  for (const span of spans) {
    const where = `${span.service} ${span.name}`;
    for (const key of Object.keys(span.resource)) if (!seen.has(key)) seen.set(key, `the resource of ${span.service}`);
    for (const key of Object.keys(span.attributes)) if (!seen.has(key)) seen.set(key, where);
    for (const event of span.events) for (const key of Object.keys(event.attributes)) if (!seen.has(key)) seen.set(key, `${where}'s ${event.name} event`);
  }
  const conventions = semanticConventions();
  const problems = [...seen].flatMap(([key, where]) => {
    if (key in ATTRIBUTES) return [];
    const convention = conventions.get(key);
    if (!convention) return [`${key} (on ${where}) is neither a semantic convention nor in ATTRIBUTES`];
    if (convention.deprecated) return [`${key} (on ${where}) is a deprecated convention: ${convention.deprecated}`];
    return [];
  });
  assert.ok(seen.size >= 40, `${seen.size} distinct attributes`);
  assert.deepEqual(problems, []);
});
