// Every attribute one real order's trace carries (its resources, spans and
// span events, read back from Jaeger) and every field of its log lines (the
// attributes its log records get) is a current semantic convention or listed
// in the contract's ATTRIBUTES (docs/telemetry.md#attributes); a log line's
// own record fields (LOG_RECORD_FIELDS: level, time, msg, ...) aside.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { ATTRIBUTES, LOG_RECORD_FIELDS } from '@shop/contracts';
import { semanticConventions } from '@shop/kit/test/semantic-conventions';
import { closeStores, eventually, markServiceLogs, placeTracedOrder, serviceLogLines, waitForOrderTrace } from './support.ts';

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
  assert.ok(seen.size >= 40, `${seen.size} distinct attributes`);
  assert.deepEqual(unlisted(seen), []);
});

test("every field of an order's log lines is a log record field, a current convention or the contract's own", async () => {
  const mark = markServiceLogs();
  const { response, traceId } = await placeTracedOrder({ priceCents: 1500, stock: 5, quantity: 1 });
  assert.equal(response.status, 201, JSON.stringify(response.body));
  // Lines are written asynchronously: wait for each service the request went through.
  const lines = await eventually(
    async () => serviceLogLines(mark).filter(({ line }) => line.trace_id === traceId),
    (found) => ['gateway', 'order', 'inventory', 'payment'].every((service) => found.some((l) => l.service === service)),
  );
  const seen = new Map<string, string>();
  for (const { service, line } of lines) {
    for (const key of Object.keys(line)) if (!(key in LOG_RECORD_FIELDS) && !seen.has(key)) seen.set(key, `${service}'s "${String(line.msg)}" log line`);
  }
  for (const key of ['http.request.method', 'http.route', 'http.response.status_code', 'service.name', 'gateway.api_key.id']) {
    assert.ok(seen.has(key), `the request lines carry ${key}: ${[...seen.keys()].join(', ')}`);
  }
  assert.deepEqual(unlisted(seen), []);
});

/** What is neither listed in ATTRIBUTES nor a current convention, each with where it was seen. */
function unlisted(seen: Map<string, string>): string[] {
  const conventions = semanticConventions();
  return [...seen].flatMap(([key, where]) => {
    if (key in ATTRIBUTES) return [];
    const convention = conventions.get(key);
    if (!convention) return [`${key} (on ${where}) is neither a semantic convention nor in ATTRIBUTES`];
    if (convention.deprecated) return [`${key} (on ${where}) is a deprecated convention: ${convention.deprecated}`];
    return [];
  });
}
