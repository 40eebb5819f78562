// The statements one real order runs, read back from its trace in Jaeger:
// the `db.query.text` of its PostgreSQL spans, in order. The bench places
// the order with its own sampled traceparent (so it is traced whatever the
// sampling ratio) and compares the span names with floor.sql's.
import { newTraceContext } from '@shop/cli/gateway/trace-context';
import { placeOrder, type Gateway } from '@shop/cli/gateway/orders-api';
import { waitForTrace } from '@shop/cli/jaeger/wait-for-trace';

export interface TracedStatement {
  service: string;
  name: string;
  database: string;
  text: string;
}

export async function statementsOfOneOrder(
  gateway: Gateway,
  jaegerUrl: string,
  productId: string,
): Promise<{ traceId: string; statements: TracedStatement[] }> {
  const { traceId, traceparent } = newTraceContext();
  const answer = await placeOrder(gateway, { userId: 'bench-trace', productId, quantity: 1 }, { traceparent, timeoutMs: 10_000 });
  if (answer.status !== 201) throw new Error(`the traced order was answered ${answer.status}`);
  const isDb = (s: { attributes: Record<string, unknown> }) => s.attributes['db.system.name'] === 'postgresql';
  const { spans, complete } = await waitForTrace(jaegerUrl, traceId, {
    timeoutMs: 20_000,
    // Complete once the notification's last write is in.
    isComplete: (all) => all.some((s) => isDb(s) && s.name === 'UPDATE notifications'),
  });
  if (!complete) throw new Error(`trace ${traceId} incomplete in Jaeger after 20 s (${spans.length} spans)`);
  const statements = spans
    .filter(isDb)
    .sort((a, b) => (a.startNs < b.startNs ? -1 : a.startNs > b.startNs ? 1 : 0))
    .map((s) => ({
      service: s.service,
      name: s.name,
      database: String(s.attributes['db.namespace'] ?? ''),
      text: String(s.attributes['db.query.text'] ?? ''),
    }));
  return { traceId, statements };
}

/** Span names in one list and not the other (as multisets); both empty = same statements. */
export function compareStatements(traced: string[], floor: string[]): { onlyInTrace: string[]; onlyInFloor: string[] } {
  const remaining = [...floor];
  const onlyInTrace: string[] = [];
  for (const name of traced) {
    const i = remaining.indexOf(name);
    if (i === -1) onlyInTrace.push(name);
    else remaining.splice(i, 1);
  }
  return { onlyInTrace, onlyInFloor: remaining };
}
