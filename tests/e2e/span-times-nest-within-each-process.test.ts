// Span times as a waterfall shows them, read back from Jaeger for one real
// order: in each process no child starts before its parent or ends after
// it, and start times carry the microseconds the clock has. Spans meant to
// outlive their parent say so by their kind (producer, consumer) or a link.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import type { FlatSpan } from '@shop/kit/test/jaeger';
import { closeStores, placeTracedOrder, waitForOrderTrace } from './support.ts';

after(closeStores);

/** The process a span came from: its service instance (one per process). */
const processOf = (span: FlatSpan) => String(span.resource['service.instance.id'] ?? span.service);
/** OTLP's span kinds (one more than the API's enum): producer 4, consumer 5. */
const OTLP_PRODUCER = 4;
const OTLP_CONSUMER = 5;
const mayOutliveItsParent = (span: FlatSpan) => span.kind === OTLP_PRODUCER || span.kind === OTLP_CONSUMER || span.links > 0;
const describe = (span: FlatSpan) => `${span.service} ${span.name}`;

test("one order's spans: every child within its parent in the same process, starts to the microsecond", async () => {
  const { response, traceId } = await placeTracedOrder({ priceCents: 990, stock: 5, quantity: 1 });
  assert.equal(response.status, 201, JSON.stringify(response.body));
  const spans = await waitForOrderTrace(traceId);

  const byId = new Map(spans.map((s) => [s.spanId, s]));
  const escapes: string[] = [];
  let pairs = 0;
  for (const child of spans) {
    const parent = byId.get(child.parentSpanId);
    if (!parent || processOf(parent) !== processOf(child)) continue;
    pairs++;
    if (child.startNs < parent.startNs) escapes.push(`${describe(child)} starts ${parent.startNs - child.startNs} ns before its parent ${describe(parent)}`);
    if (child.endNs > parent.endNs && !mayOutliveItsParent(child))
      escapes.push(`${describe(child)} ends ${child.endNs - parent.endNs} ns after its parent ${describe(parent)}`);
  }
  assert.ok(pairs >= 20, `${pairs} parent-child pairs within one process`);
  assert.deepEqual(escapes, []);

  // A start on a whole millisecond happens by chance once in a thousand spans.
  const whole = spans.filter((s) => s.startNs % 1_000_000n === 0n);
  assert.ok(whole.length <= 2, `${whole.length} of ${spans.length} spans start on a whole millisecond: ${whole.map(describe).join(', ')}`);
});
